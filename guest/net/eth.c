/* Ethernet II framing: demultiplex by EtherType, pad short frames. */
#include "net_internal.h"

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void eth_input(const uint8_t *frame, uint32_t len)
{
	if (len < ETH_HLEN) {
		net_st.drop_eth_short++;
		return;
	}
	/* A tap also hands us other hosts' unicast and IPv6 multicast. */
	if (!net_memeq(frame, net_cfg.mac, ETH_ALEN) &&
	    !net_memeq(frame, eth_broadcast, ETH_ALEN)) {
		net_st.drop_eth_not_us++;
		return;
	}
	switch (get16(frame + 12)) {
	case ETHERTYPE_ARP:
		arp_input(frame + ETH_HLEN, len - ETH_HLEN);
		break;
	case ETHERTYPE_IPV4:
		ipv4_input(frame + ETH_HLEN, len - ETH_HLEN);
		break;
	default:        /* IPv6, VLAN tags, ... are not supported */
		net_st.drop_eth_type++;
		break;
	}
}

void eth_header(uint8_t *frame, const uint8_t *dst, uint16_t type)
{
	net_memcpy(frame, dst, ETH_ALEN);
	net_memcpy(frame + ETH_ALEN, net_cfg.mac, ETH_ALEN);
	put16(frame + 12, type);
}

/* frame must have room for ETH_MIN_FRAME bytes. */
void eth_xmit(uint8_t *frame, uint32_t len)
{
	/* Real NICs pad to 60 bytes; a bridge or the VMM backend may not. */
	if (len < ETH_MIN_FRAME) {
		net_memset(frame + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	if (net_tx(frame, len) < 0)
		net_st.tx_errors++;
	else
		net_st.tx_frames++;
}
