/* ICMP (RFC 792): echo reply only. */
#include "net_internal.h"

void icmp_input(uint32_t src, const uint8_t *m, uint32_t len)
{
	uint8_t *r = net_txbuf + L4_OFF;

	if (len < 8 || csum_fold(csum_add(0, m, len)) != 0) {
		net_st.drop_icmp_bad++;
		return;
	}
	if (m[0] != 8 || m[1] != 0) {   /* only echo request */
		net_st.drop_icmp_other++;
		return;
	}
	if (len > NET_MTU - IP_HLEN) {  /* cannot happen without fragments */
		net_st.drop_icmp_bad++;
		return;
	}
	/* same identifier, sequence and payload: that is what ping compares */
	net_memcpy(r, m, len);
	r[0] = 0;
	r[1] = 0;
	put16(r + 2, 0);
	put16(r + 2, csum_fold(csum_add(0, r, len)));
	net_st.icmp_echo_replies++;
	ipv4_send(src, IP_PROTO_ICMP, len);
}
