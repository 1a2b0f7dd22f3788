/*
 * ARP (RFC 826) with a small cache. Each entry can hold one frame waiting
 * for resolution: enough for a SYN-ACK or a ping reply, and TCP retransmits
 * anything else that is lost while a peer is being resolved.
 */
#include "net_internal.h"

#define ARP_ENTRIES     8
#define ARP_PKT_LEN     28
#define ARP_RETRY_MS    1000
#define ARP_TRIES       3
/* Peers re-ARP us long before this (Linux probes stale entries), which
 * refreshes the entry through the merge rule below. */
#define ARP_EXPIRE_MS   (10 * 60 * 1000)
#define GARP_COUNT      2
#define GARP_GAP_MS     1000

enum { ARP_FREE, ARP_PENDING, ARP_VALID };

struct arp_entry {
	uint8_t  state;
	uint8_t  tries;
	uint8_t  mac[ETH_ALEN];
	uint32_t ip;
	uint64_t stamp;         /* VALID: last confirmed; PENDING: last request */
	uint32_t pend_len;      /* 0 = nothing queued */
	uint8_t  pend[ETH_MAX_FRAME];
};

static struct arp_entry cache[ARP_ENTRIES];
static uint8_t garp_left;
static uint64_t garp_at;

void arp_init(void)
{
	net_memset(cache, 0, sizeof(cache));
	garp_left = GARP_COUNT;
	garp_at = net_time;
}

static struct arp_entry *lookup(uint32_t ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (cache[i].state != ARP_FREE && cache[i].ip == ip)
			return &cache[i];
	return 0;
}

/* A free slot, else the oldest entry (a pending frame in it is lost). */
static struct arp_entry *alloc(uint32_t ip)
{
	struct arp_entry *victim = &cache[0];

	for (int i = 0; i < ARP_ENTRIES; i++) {
		if (cache[i].state == ARP_FREE) {
			victim = &cache[i];
			break;
		}
		if (cache[i].stamp < victim->stamp)
			victim = &cache[i];
	}
	if (victim->state != ARP_FREE && victim->pend_len)
		net_st.drop_arp_unresolved++;
	net_memset(victim, 0, offsetof(struct arp_entry, pend));
	victim->ip = ip;
	return victim;
}

static void send_arp(uint16_t op, const uint8_t *eth_dst, const uint8_t *tha,
		     uint32_t tpa)
{
	uint8_t *f = net_txbuf, *a = net_txbuf + ETH_HLEN;

	eth_header(f, eth_dst, ETHERTYPE_ARP);
	put16(a, 1);                    /* Ethernet */
	put16(a + 2, ETHERTYPE_IPV4);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put16(a + 6, op);
	net_memcpy(a + 8, net_cfg.mac, ETH_ALEN);
	put32(a + 14, net_cfg.ip);
	net_memcpy(a + 18, tha, ETH_ALEN);
	put32(a + 24, tpa);
	eth_xmit(f, ETH_HLEN + ARP_PKT_LEN);
}

static void send_request(uint32_t ip)
{
	static const uint8_t zero[ETH_ALEN];

	send_arp(1, eth_broadcast, zero, ip);
	net_st.arp_requests_tx++;
}

/* Sender/target = our IP: peers that already know us update their entry,
 * which is what matters after a migration. */
void arp_gratuitous(void)
{
	static const uint8_t zero[ETH_ALEN];

	send_arp(1, eth_broadcast, zero, net_cfg.ip);
	net_st.arp_requests_tx++;
}

static void flush_pending(struct arp_entry *e)
{
	if (!e->pend_len)
		return;
	net_memcpy(e->pend, e->mac, ETH_ALEN);
	eth_xmit(e->pend, e->pend_len);
	e->pend_len = 0;
}

void arp_input(const uint8_t *a, uint32_t len)
{
	uint16_t op;
	uint32_t spa, tpa;
	const uint8_t *sha;
	struct arp_entry *e;

	if (len < ARP_PKT_LEN || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IPV4 ||
	    a[4] != ETH_ALEN || a[5] != 4) {
		net_st.drop_arp_bad++;
		return;
	}
	op = get16(a + 6);
	sha = a + 8;
	spa = get32(a + 14);
	tpa = get32(a + 24);
	if (op != 1 && op != 2) {
		net_st.drop_arp_bad++;
		return;
	}
	if (op == 1 && tpa == net_cfg.ip)
		net_st.arp_requests_rx++;
	if (op == 2)
		net_st.arp_replies_rx++;

	if (spa == net_cfg.ip && !net_memeq(sha, net_cfg.mac, ETH_ALEN)) {
		struct strbuf s;
		char buf[96];

		net_st.arp_conflicts++;
		sb_init(&s, buf, sizeof(buf));
		sb_str(&s, "arp: address conflict with ");
		sb_mac(&s, sha);
		net_log(buf);
		return;
	}

	/* RFC 826 merge: refresh whoever we already know; learn the sender
	 * only when it is talking to us. spa 0 is an RFC 5227 probe. */
	if (spa != 0) {
		e = lookup(spa);
		if (!e && tpa == net_cfg.ip)
			e = alloc(spa);
		if (e) {
			net_memcpy(e->mac, sha, ETH_ALEN);
			e->state = ARP_VALID;
			e->stamp = net_time;
			flush_pending(e);
		}
	}

	if (op == 1 && tpa == net_cfg.ip) {
		send_arp(2, sha, sha, spa);
		net_st.arp_replies_tx++;
	}
}

/*
 * frame: a complete Ethernet frame whose destination MAC is still to be
 * filled in (ETH_MIN_FRAME bytes of room).
 */
void arp_output(uint32_t next_hop, uint8_t *frame, uint32_t len)
{
	struct arp_entry *e = lookup(next_hop);

	if (e && e->state == ARP_VALID && net_time - e->stamp < ARP_EXPIRE_MS) {
		net_memcpy(frame, e->mac, ETH_ALEN);
		eth_xmit(frame, len);
		return;
	}
	if (!e) {
		e = alloc(next_hop);
	}
	if (e->state != ARP_PENDING) {
		e->state = ARP_PENDING;
		e->tries = 1;
		e->stamp = net_time;
		send_request(next_hop);
	}
	/* keep the newest frame: it carries the freshest ACK/window */
	if (e->pend_len)
		net_st.drop_arp_unresolved++;
	if (len > ETH_MAX_FRAME)
		len = ETH_MAX_FRAME;
	net_memcpy(e->pend, frame, len);
	e->pend_len = len;
}

void arp_poll(void)
{
	if (garp_left && net_time >= garp_at) {
		arp_gratuitous();
		garp_left--;
		garp_at = net_time + GARP_GAP_MS;
	}
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &cache[i];

		if (e->state != ARP_PENDING || net_time - e->stamp < ARP_RETRY_MS)
			continue;
		if (e->tries >= ARP_TRIES) {
			if (e->pend_len)
				net_st.drop_arp_unresolved++;
			e->state = ARP_FREE;
			e->pend_len = 0;
			continue;
		}
		e->tries++;
		e->stamp = net_time;
		send_request(e->ip);
	}
}
