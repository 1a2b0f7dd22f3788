/* Shared by the stack's own files only; not part of the interface. */
#ifndef JTS_NET_INTERNAL_H
#define JTS_NET_INTERNAL_H

#include <stddef.h>
#include "net.h"

#define ETH_ALEN        6
#define ETH_HLEN        14
#define ETH_MIN_FRAME   60      /* without FCS; shorter frames get padded */
#define ETH_MAX_FRAME   1514
#define NET_MTU         1500
#define IP_HLEN         20      /* we never send IP options */
#define L4_OFF          (ETH_HLEN + IP_HLEN)

#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806
#define IP_PROTO_ICMP   1
#define IP_PROTO_TCP    6

/* Wire order is big-endian; byte-wise access works on any host and any
 * alignment. */
static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}
static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* util.c: our own, so the stack links without libc */
void net_memcpy(void *dst, const void *src, uint32_t n);
void net_memset(void *dst, uint8_t v, uint32_t n);
int  net_memeq(const void *a, const void *b, uint32_t n);

/* Bounded string builder for log lines and the stats dump. */
struct strbuf {
	char *b;
	uint32_t cap, n;
};
void sb_init(struct strbuf *s, char *buf, uint32_t cap);
void sb_str(struct strbuf *s, const char *str);
void sb_u64(struct strbuf *s, uint64_t v);
void sb_ip(struct strbuf *s, uint32_t ip);
void sb_mac(struct strbuf *s, const uint8_t *mac);

/* net.c: global state */
extern struct net_config net_cfg;
extern struct net_stats net_st;
extern uint8_t net_txbuf[ETH_MAX_FRAME];   /* every outgoing frame is built here */
extern uint64_t net_time;                   /* stack clock (ms), frozen over pauses */

/* checksum.c */
uint32_t csum_add(uint32_t sum, const uint8_t *data, uint32_t len);
uint16_t csum_fold(uint32_t sum);

/* eth.c */
extern const uint8_t eth_broadcast[ETH_ALEN];
void eth_input(const uint8_t *frame, uint32_t len);
void eth_header(uint8_t *frame, const uint8_t *dst, uint16_t type);
void eth_xmit(uint8_t *frame, uint32_t len);

/* arp.c */
void arp_init(void);
void arp_input(const uint8_t *pkt, uint32_t len);
void arp_output(uint32_t next_hop, uint8_t *frame, uint32_t len);
void arp_poll(void);
void arp_gratuitous(void);

/* ipv4.c */
void ipv4_init(void);
void ipv4_input(const uint8_t *pkt, uint32_t len);
void ipv4_send(uint32_t dst, uint8_t proto, uint32_t l4len);

/* icmp.c */
void icmp_input(uint32_t src, const uint8_t *msg, uint32_t len);

/* tcp.c */
void tcp_init(void);
void tcp_input(uint32_t src, const uint8_t *seg, uint32_t len);
void tcp_poll(void);
void tcp_resume(void);

#endif
