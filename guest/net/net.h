/*
 * Jettison test-guest network stack: public interface.
 *
 * Freestanding C: needs only <stdint.h>/<stddef.h>. Single-threaded: net_init,
 * net_input, net_poll and the other entry points must never run concurrently
 * (e.g. call net_input from the kernel's main loop, not from an interrupt
 * handler that can preempt net_poll).
 */
#ifndef JTS_NET_H
#define JTS_NET_H

#include <stdint.h>

/* All IPv4 addresses are in host byte order: 10.0.2.15 == 0x0A00020F. */
struct net_config {
	uint8_t  mac[6];     /* our MAC (the kernel copies it from virtio-net config) */
	uint32_t ip;         /* our address */
	uint32_t netmask;    /* e.g. 0xFFFFFF00 for /24 */
	uint32_t gateway;    /* next hop for off-link peers; 0 = none (on-link only) */
	uint16_t echo_port;  /* TCP echo service port (default 7) */
};

/* Defaults: 10.0.2.15/24, no gateway, echo port 7, MAC 52:54:00:12:34:56. */
void net_config_defaults(struct net_config *cfg);

/*
 * Apply one command-line token. Recognised keys:
 *   net.ip=A.B.C.D[/N]  net.mask=A.B.C.D  net.gw=A.B.C.D
 *   net.echo_port=N     net.mac=xx:xx:xx:xx:xx:xx
 * Returns 1 if the token was applied, 0 if it is not a "net." token (leave it
 * to someone else), -1 if it starts with "net." but is unknown or malformed
 * (cfg unchanged).
 */
int net_config_parse(struct net_config *cfg, const char *token);

/* Apply every space-separated token of a command line; returns the number of
 * malformed net.* tokens (0 = all good). Non-net tokens are ignored. */
int net_config_parse_cmdline(struct net_config *cfg, const char *cmdline);

/* Reset all state and start. Transmits nothing itself: the gratuitous ARP goes
 * out from the first net_poll, so the driver may come up after net_init. */
void net_init(const struct net_config *cfg);

/* One received Ethernet frame (destination MAC first, no virtio header, no FCS).
 * The frame is only read, and not kept after return. */
void net_input(const uint8_t *frame, uint32_t len);

/* Timers and retransmissions. Call at least every 10 ms with the same clock
 * net_now_ms() returns. A gap of more than NET_PAUSE_MS between calls is taken
 * as a VM pause (e.g. migration): the stack's clock does not advance over it,
 * so no connection is aborted, and connections are re-announced. */
void net_poll(uint64_t now_ms);
#define NET_PAUSE_MS 500

/* Broadcast a gratuitous ARP now (done automatically at start and after a
 * detected pause; call it too if the kernel knows it was just migrated). */
void net_announce(void);

/* Graceful shutdown: every connection finishes echoing what it has, then
 * sends FIN (active close; the slot passes through TIME_WAIT). Half-open
 * handshakes are reset. New connections are still accepted. */
void net_tcp_close_all(void);

struct net_stats {
	uint64_t rx_frames, tx_frames, tx_errors;
	uint64_t arp_requests_rx, arp_replies_tx, arp_requests_tx, arp_replies_rx;
	uint64_t arp_conflicts;
	uint64_t icmp_echo_replies;
	uint64_t tcp_segs_in, tcp_segs_out;
	uint64_t tcp_accepted, tcp_closed, tcp_aborted, tcp_active;
	uint64_t tcp_resets_tx, tcp_resets_rx;
	uint64_t tcp_bytes_rx, tcp_bytes_echoed;   /* echoed = acknowledged by the peer */
	uint64_t tcp_retransmits, tcp_fast_retransmits, tcp_persist_probes;
	uint64_t tcp_ooo_queued;                   /* kept beyond a hole */
	uint64_t time_jumps;
	/* drops, by reason */
	uint64_t drop_eth_short, drop_eth_not_us, drop_eth_type;
	uint64_t drop_arp_bad, drop_arp_unresolved;
	uint64_t drop_ip_bad, drop_ip_csum, drop_ip_frag, drop_ip_not_us;
	uint64_t drop_ip_proto, drop_ip_no_route;
	uint64_t drop_icmp_bad, drop_icmp_other;
	uint64_t drop_tcp_bad, drop_tcp_csum, drop_tcp_ooo, drop_tcp_no_slot;
	uint64_t drop_tcp_unacceptable;
};

const struct net_stats *net_get_stats(void);

/* "key=value key=value ..." (non-zero counters only, plus the main ones),
 * NUL-terminated, truncated to cap. Returns the length written. */
uint32_t net_stats_format(char *buf, uint32_t cap);

/* ---- Provided by the embedding environment ---- */

/* Transmit one Ethernet frame (no virtio header). The buffer is reused after
 * return, so copy it or finish with it first. Return <0 on failure (the frame
 * is lost; TCP recovers). Must not call back into the stack. */
int net_tx(const uint8_t *frame, uint32_t len);

/* Monotonic milliseconds. */
uint64_t net_now_ms(void);

/* One short diagnostic line, no trailing newline. */
void net_log(const char *msg);

#endif
