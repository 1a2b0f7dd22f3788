/*
 * Unit tests of the stack with crafted frames and a fake clock: the cases a
 * cooperative Linux peer rarely produces (bad checksums, fragments, holes,
 * long pauses, retransmission timeouts).
 */
#include <stdio.h>
#include <string.h>

#include "../net_internal.h"

static uint8_t sent[64][ETH_MAX_FRAME];
static uint32_t sent_len[64];
static int nsent;
static uint64_t fake_now = 5000;
static int passed, failed;

int net_tx(const uint8_t *f, uint32_t len)
{
	if (nsent < 64) {
		memcpy(sent[nsent], f, len);
		sent_len[nsent] = len;
	}
	nsent++;
	return 0;
}
uint64_t net_now_ms(void) { return fake_now; }
void net_log(const char *m) { (void)m; }

#define CHECK(c) do { if (c) passed++; else { failed++; \
	printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 2 };
static const uint32_t PEER = 0x0A000202, US = 0x0A00020F;

static void poll_at(uint64_t t) { fake_now = t; net_poll(t); }

/* time passing normally: the kernel polls every 10 ms */
static void advance(uint64_t ms)
{
	for (uint64_t end = fake_now + ms; fake_now < end;)
		poll_at(fake_now + 10);
}

/* Ethernet + IPv4 header around l4 */
static uint32_t ip_frame(uint8_t *f, uint8_t proto, const uint8_t *l4, uint32_t l4len,
			 uint16_t frag)
{
	uint8_t *ip = f + 14;

	memcpy(f, net_cfg.mac, 6);
	memcpy(f + 6, peer_mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4len));
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, PEER);
	put32(ip + 16, US);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	memcpy(ip + 20, l4, l4len);
	return 34 + l4len;
}

static void send_tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		     uint8_t flags, const char *data)
{
	uint8_t seg[1600], f[1700], ph[12];
	uint32_t dlen = data ? (uint32_t)strlen(data) : 0;

	memset(seg, 0, 20);
	put16(seg, sport);
	put16(seg + 2, dport);
	put32(seg + 4, seq);
	put32(seg + 8, ack);
	seg[12] = 5 << 4;
	seg[13] = flags;
	put16(seg + 14, 29200);
	if (dlen)
		memcpy(seg + 20, data, dlen);
	put32(ph, PEER); put32(ph + 4, US); ph[8] = 0; ph[9] = 6; put16(ph + 10, (uint16_t)(20 + dlen));
	put16(seg + 16, csum_fold(csum_add(csum_add(0, ph, 12), seg, 20 + dlen)));
	net_input(f, ip_frame(f, 6, seg, 20 + dlen, 0));
}

/* last frame sent, as TCP */
static const uint8_t *last_tcp(void) { return sent[(nsent - 1) & 63] + 34; }

static void learn_peer(void)
{
	uint8_t f[60] = { 0 }, *a = f + 14;

	memcpy(f, eth_broadcast, 6);
	memcpy(f + 6, peer_mac, 6);
	put16(f + 12, 0x0806);
	put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, 1);
	memcpy(a + 8, peer_mac, 6); put32(a + 14, PEER); put32(a + 24, US);
	nsent = 0;
	net_input(f, 60);
	CHECK(nsent == 1 && get16(sent[0] + 12) == 0x0806 && get16(sent[0] + 20) == 2);
	CHECK(memcmp(sent[0], peer_mac, 6) == 0 && get32(sent[0] + 28) == US);
	CHECK(net_st.arp_replies_tx == 1);
}

static void test_config(void)
{
	struct net_config c;

	net_config_defaults(&c);
	CHECK(net_config_parse(&c, "net.ip=192.168.7.9/16") == 1);
	CHECK(c.ip == 0xC0A80709 && c.netmask == 0xFFFF0000);
	CHECK(net_config_parse(&c, "net.echo_port=7007") == 1 && c.echo_port == 7007);
	CHECK(net_config_parse(&c, "net.echo_port=70000") == -1 && c.echo_port == 7007);
	CHECK(net_config_parse(&c, "net.ip=10.0.2.300/24") == -1);
	CHECK(net_config_parse(&c, "net.mask=255.0.255.0") == -1);
	CHECK(net_config_parse(&c, "net.mac=52:54:00:ab:cd:EF") == 1 && c.mac[5] == 0xef);
	CHECK(net_config_parse(&c, "console=ttyS0") == 0);
	CHECK(net_config_parse(&c, "net.bogus=1") == -1);
	net_config_defaults(&c);
	CHECK(net_config_parse_cmdline(&c, "console=ttyS0 net.ip=10.0.2.16/24  net.gw=10.0.2.2 quiet") == 0);
	CHECK(c.ip == 0x0A000210 && c.gateway == 0x0A000202 && c.netmask == 0xFFFFFF00);
}

static void test_checksum(void)
{
	/* RFC 1071 section 3 example */
	static const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	char buf[64];
	struct strbuf s;

	CHECK(csum_fold(csum_add(0, d, 8)) == (uint16_t)~0xddf2);
	sb_init(&s, buf, sizeof(buf));
	sb_u64(&s, 18446744073709551615ULL);
	sb_str(&s, " ");
	sb_u64(&s, 0);
	CHECK(strcmp(buf, "18446744073709551615 0") == 0);
}

static void test_ip_icmp(void)
{
	uint8_t icmp[64], f[200];
	uint32_t n;

	memset(icmp, 0xab, sizeof(icmp));
	icmp[0] = 8; icmp[1] = 0; put16(icmp + 2, 0); put16(icmp + 4, 0x1234); put16(icmp + 6, 1);
	put16(icmp + 2, csum_fold(csum_add(0, icmp, 64)));
	nsent = 0;
	net_input(f, ip_frame(f, 1, icmp, 64, 0));
	CHECK(nsent == 1 && sent[0][34] == 0);
	CHECK(csum_fold(csum_add(0, sent[0] + 14, 20)) == 0);
	CHECK(csum_fold(csum_add(0, sent[0] + 34, 64)) == 0);
	CHECK(memcmp(sent[0] + 38, icmp + 4, 60) == 0);

	/* corrupted IP checksum, fragments, padding */
	n = ip_frame(f, 1, icmp, 64, 0);
	f[14 + 10] ^= 1;
	nsent = 0;
	net_input(f, n);
	CHECK(nsent == 0 && net_st.drop_ip_csum == 1);
	nsent = 0;
	net_input(f, ip_frame(f, 1, icmp, 64, 0x2000));   /* MF */
	net_input(f, ip_frame(f, 1, icmp, 64, 0x0010));   /* offset */
	CHECK(nsent == 0 && net_st.drop_ip_frag == 2);
	n = ip_frame(f, 1, icmp, 8, 0);                   /* short ping... */
	icmp[0] = 8;
	memset(f + n, 0x55, 30);                          /* ...with Ethernet padding */
	put16(f + 34 + 2, 0);
	put16(f + 34 + 2, csum_fold(csum_add(0, f + 34, 8)));
	nsent = 0;
	net_input(f, n + 30);
	CHECK(nsent == 1 && get16(sent[0] + 16) == 28);
}

static void test_tcp(void)
{
	uint32_t iss, cseq = 1000;
	const uint8_t *t;

	/* closed port: RST|ACK acking the SYN */
	nsent = 0;
	send_tcp(40000, 9, 555, 0, 0x02, 0);
	t = last_tcp();
	CHECK(nsent == 1 && t[13] == 0x14 && get32(t + 8) == 556);

	/* handshake, MSS option */
	nsent = 0;
	send_tcp(40001, 7, cseq, 0, 0x02, 0);
	t = last_tcp();
	CHECK(nsent == 1 && t[13] == 0x12 && get32(t + 8) == cseq + 1);
	CHECK((t[12] >> 4) == 6 && t[20] == 2 && get16(t + 22) == 1460);
	iss = get32(t + 4);
	cseq++;
	send_tcp(40001, 7, cseq, iss + 1, 0x10, 0);
	CHECK(net_st.tcp_accepted == 1);

	/* data is echoed, with the ACK piggybacked */
	nsent = 0;
	send_tcp(40001, 7, cseq, iss + 1, 0x18, "hello");
	t = last_tcp();
	CHECK(nsent == 1 && get32(t + 4) == iss + 1 && get32(t + 8) == cseq + 5);
	CHECK(memcmp(t + 20, "hello", 5) == 0);
	cseq += 5;

	/* beyond a hole: kept, duplicate ACK */
	nsent = 0;
	send_tcp(40001, 7, cseq + 100, iss + 1, 0x18, "later");
	t = last_tcp();
	CHECK(nsent == 1 && get32(t + 8) == cseq && net_st.tcp_ooo_queued == 1);

	/* our echo unacked: RTO retransmits it, with backoff */
	nsent = 0;
	advance(150);
	CHECK(nsent == 0);
	advance(60);                    /* RTO = 200 ms (RTT ~ 0, RTO_MIN) */
	t = last_tcp();
	CHECK(nsent == 1 && get32(t + 4) == iss + 1 && memcmp(t + 20, "hello", 5) == 0);
	advance(350);                   /* backed off to 400 ms */
	CHECK(nsent == 1);
	advance(60);
	CHECK(nsent == 2 && net_st.tcp_retransmits == 2);

	/* a 60 s pause is no time at all for the stack: no abort, and on
	 * resume the unacked data is resent at once */
	nsent = 0;
	for (int i = 0; i < 3; i++)
		poll_at(fake_now + 60000);
	CHECK(net_st.time_jumps == 3 && net_st.tcp_aborted == 0 && net_st.tcp_active == 1);
	t = last_tcp();
	CHECK(nsent >= 3 && get32(t + 4) == iss + 1);

	/* peer retransmits old data after the pause: acked again, not re-echoed */
	nsent = 0;
	send_tcp(40001, 7, cseq - 5, iss + 6, 0x18, "hello");
	t = last_tcp();
	CHECK(nsent == 1 && get32(t + 8) == cseq && (t[12] >> 4) * 4 == 20 &&
	      get16(sent[0] + 16) == 40);
	CHECK(net_st.tcp_bytes_echoed == 5 && net_st.tcp_bytes_rx == 5);

	/* peer FIN: we FIN back (LAST_ACK), its ACK closes */
	nsent = 0;
	send_tcp(40001, 7, cseq, iss + 6, 0x11, 0);
	t = last_tcp();
	CHECK(nsent == 1 && (t[13] & 0x01) && get32(t + 8) == cseq + 1);
	send_tcp(40001, 7, cseq + 1, iss + 7, 0x10, 0);
	CHECK(net_st.tcp_closed == 1 && net_st.tcp_active == 0);

	/* segment for the now-unknown connection: RST with seq = its ack */
	nsent = 0;
	send_tcp(40001, 7, cseq + 1, iss + 7, 0x10, 0);
	t = last_tcp();
	CHECK(nsent == 1 && t[13] == 0x04 && get32(t + 4) == iss + 7);

	/* an unanswered SYN-ACK is given up after its retries */
	send_tcp(40002, 7, 1, 0, 0x02, 0);
	advance(2 * 60 * 1000);
	CHECK(net_st.tcp_aborted == 1);
}

static void test_reassembly(void)
{
	uint32_t iss, c0 = 7000;
	const uint8_t *t;
	char echo[64] = { 0 };
	uint32_t got = 0;

	send_tcp(40003, 7, c0 - 1, 0, 0x02, 0);
	iss = get32(last_tcp() + 4);
	send_tcp(40003, 7, c0, iss + 1, 0x10, 0);
	nsent = 0;
	send_tcp(40003, 7, c0 + 4, iss + 1, 0x10, "BBBB");
	send_tcp(40003, 7, c0 + 12, iss + 1, 0x11, "DDDD");     /* with FIN */
	send_tcp(40003, 7, c0 + 8, iss + 1, 0x10, "CCCC");
	send_tcp(40003, 7, c0 + 5, iss + 1, 0x10, "BBB");       /* overlap */
	CHECK(nsent == 4);
	for (int i = 0; i < 4; i++)     /* all duplicate ACKs, nothing echoed */
		CHECK(get32(sent[i] + 34 + 8) == c0 && get16(sent[i] + 16) == 40);
	nsent = 0;
	send_tcp(40003, 7, c0, iss + 1, 0x10, "AAAA");          /* fills the hole */
	for (int i = 0; i < nsent; i++) {
		t = sent[i] + 34;
		memcpy(echo + got, t + 20, get16(sent[i] + 16) - 40);
		got += get16(sent[i] + 16) - 40;
	}
	t = last_tcp();
	CHECK(strcmp(echo, "AAAABBBBCCCCDDDD") == 0);
	CHECK(get32(t + 8) == c0 + 17 && (t[13] & 0x01));      /* FIN taken, FIN sent */
	send_tcp(40003, 7, c0 + 17, iss + 18, 0x10, 0);
	CHECK(net_st.tcp_active == 0);
}

int main(void)
{
	struct net_config c;

	net_config_defaults(&c);
	net_init(&c);
	poll_at(fake_now);
	poll_at(fake_now + 10);
	CHECK(nsent >= 1 && get16(sent[0] + 12) == 0x0806 && get32(sent[0] + 28) == US &&
	      get32(sent[0] + 38) == US);       /* gratuitous ARP */

	test_config();
	test_checksum();
	learn_peer();
	test_ip_icmp();
	test_tcp();
	test_reassembly();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
