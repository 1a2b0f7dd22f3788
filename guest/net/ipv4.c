/* IPv4 (RFC 791): header checks, local delivery, routing of our replies. */
#include "net_internal.h"

static uint16_t ip_id;

void ipv4_init(void)
{
	/* vary IDs between boots so a peer's reassembly state can't confuse */
	ip_id = (uint16_t)(net_cfg.mac[5] << 8 | net_cfg.mac[4]);
}

static int bad_source(uint32_t src)
{
	uint32_t host = src & ~net_cfg.netmask;

	/* we must never answer (let alone RST) broadcast, multicast or our own
	 * address: that is how reflection storms start */
	return src == net_cfg.ip || src == 0 || src >= 0xE0000000u ||
	       ((src & net_cfg.netmask) == (net_cfg.ip & net_cfg.netmask) &&
		host == (~net_cfg.netmask));
}

void ipv4_input(const uint8_t *p, uint32_t len)
{
	uint32_t ihl, tot, src, dst;

	if (len < IP_HLEN || (p[0] >> 4) != 4) {
		net_st.drop_ip_bad++;
		return;
	}
	ihl = (uint32_t)(p[0] & 15) * 4;
	tot = get16(p + 2);
	/* len may exceed tot: Ethernet pads short frames */
	if (ihl < IP_HLEN || tot < ihl || tot > len) {
		net_st.drop_ip_bad++;
		return;
	}
	if (csum_fold(csum_add(0, p, ihl)) != 0) {
		net_st.drop_ip_csum++;
		return;
	}
	/* MF set or a non-zero offset: we do not reassemble */
	if (get16(p + 6) & 0x3fff) {
		net_st.drop_ip_frag++;
		return;
	}
	src = get32(p + 12);
	dst = get32(p + 16);
	if (dst != net_cfg.ip || bad_source(src)) {
		net_st.drop_ip_not_us++;
		return;
	}
	switch (p[9]) {
	case IP_PROTO_ICMP:
		icmp_input(src, p + ihl, tot - ihl);
		break;
	case IP_PROTO_TCP:
		tcp_input(src, p + ihl, tot - ihl);
		break;
	default:
		net_st.drop_ip_proto++;
		break;
	}
}

/* Sends the l4len bytes already built at net_txbuf + L4_OFF. */
void ipv4_send(uint32_t dst, uint8_t proto, uint32_t l4len)
{
	uint8_t *ip = net_txbuf + ETH_HLEN;
	uint32_t next_hop = dst;

	if ((dst & net_cfg.netmask) != (net_cfg.ip & net_cfg.netmask)) {
		if (!net_cfg.gateway) {
			net_st.drop_ip_no_route++;
			return;
		}
		next_hop = net_cfg.gateway;
	}
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + l4len));
	put16(ip + 4, ip_id++);
	put16(ip + 6, 0x4000);          /* DF: we never fragment either */
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, net_cfg.ip);
	put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
	put16(net_txbuf + 12, ETHERTYPE_IPV4);
	net_memcpy(net_txbuf + ETH_ALEN, net_cfg.mac, ETH_ALEN);
	arp_output(next_hop, net_txbuf, ETH_HLEN + IP_HLEN + l4len);
}
