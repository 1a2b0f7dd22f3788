/* Entry points, global state, the pause-tolerant clock and the stats dump. */
#include "net_internal.h"

struct net_config net_cfg;
struct net_stats net_st;
uint8_t net_txbuf[ETH_MAX_FRAME];
uint64_t net_time;

static uint64_t raw_last;
static uint8_t have_raw;
static uint8_t resume_pending;

/*
 * The stack runs on its own clock, advanced by the gaps between calls. A gap
 * longer than NET_PAUSE_MS means the VM was not running (paused, migrated),
 * so it counts as no time at all: every RTO, persist and TIME_WAIT timer
 * resumes where it stopped instead of firing at once and burning retries.
 * A clock going backwards (new host) is treated the same way.
 */
static void net_clock(uint64_t raw)
{
	uint64_t d;

	if (!have_raw) {
		raw_last = raw;
		have_raw = 1;
		return;
	}
	if (raw < raw_last || raw - raw_last > NET_PAUSE_MS) {
		struct strbuf s;
		char buf[96];

		net_st.time_jumps++;
		resume_pending = 1;
		sb_init(&s, buf, sizeof(buf));
		if (raw < raw_last) {
			sb_str(&s, "net: clock went back ");
			sb_u64(&s, raw_last - raw);
		} else {
			sb_str(&s, "net: no calls for ");
			sb_u64(&s, raw - raw_last);
		}
		sb_str(&s, " ms, treating as a VM pause");
		net_log(buf);
		raw_last = raw;
		return;
	}
	d = raw - raw_last;
	raw_last = raw;
	net_time += d;
}

void net_init(const struct net_config *cfg)
{
	struct strbuf s;
	char buf[96];

	net_memcpy(&net_cfg, cfg, sizeof(net_cfg));
	if (!net_cfg.echo_port)
		net_cfg.echo_port = 7;
	net_memset(&net_st, 0, sizeof(net_st));
	/* never 0, so 0 can mean "timer off" */
	net_time = 1000;
	have_raw = 0;
	resume_pending = 0;
	ipv4_init();
	arp_init();
	tcp_init();

	sb_init(&s, buf, sizeof(buf));
	sb_str(&s, "net: ");
	sb_mac(&s, net_cfg.mac);
	sb_str(&s, " ");
	sb_ip(&s, net_cfg.ip);
	sb_str(&s, " mask ");
	sb_ip(&s, net_cfg.netmask);
	sb_str(&s, " tcp echo port ");
	sb_u64(&s, net_cfg.echo_port);
	net_log(buf);
}

void net_input(const uint8_t *frame, uint32_t len)
{
	net_clock(net_now_ms());
	net_st.rx_frames++;
	eth_input(frame, len);
}

void net_announce(void)
{
	arp_gratuitous();
}

void net_poll(uint64_t now_ms)
{
	net_clock(now_ms);
	if (resume_pending) {
		/* We may be on a new host: tell the segment where we are (bridges
		 * learn from our frames too), and nudge every connection. */
		resume_pending = 0;
		net_announce();
		tcp_resume();
	}
	arp_poll();
	tcp_poll();
}

const struct net_stats *net_get_stats(void)
{
	return &net_st;
}

uint32_t net_stats_format(char *buf, uint32_t cap)
{
#define F(name, always) { #name, &net_st.name, always }
	static const struct {
		const char *name;
		const uint64_t *v;
		int always;
	} f[] = {
		F(rx_frames, 1), F(tx_frames, 1), F(tx_errors, 0),
		F(arp_requests_rx, 0), F(arp_replies_tx, 1), F(arp_requests_tx, 0),
		F(arp_replies_rx, 0), F(arp_conflicts, 0),
		F(icmp_echo_replies, 1),
		F(tcp_segs_in, 0), F(tcp_segs_out, 0),
		F(tcp_accepted, 1), F(tcp_closed, 0), F(tcp_aborted, 0),
		F(tcp_active, 1), F(tcp_resets_tx, 0), F(tcp_resets_rx, 0),
		F(tcp_bytes_rx, 0), F(tcp_bytes_echoed, 1),
		F(tcp_retransmits, 1), F(tcp_fast_retransmits, 0),
		F(tcp_persist_probes, 0), F(tcp_ooo_queued, 0), F(time_jumps, 0),
		F(drop_eth_short, 0), F(drop_eth_not_us, 0), F(drop_eth_type, 0),
		F(drop_arp_bad, 0), F(drop_arp_unresolved, 0),
		F(drop_ip_bad, 0), F(drop_ip_csum, 0), F(drop_ip_frag, 0),
		F(drop_ip_not_us, 0), F(drop_ip_proto, 0), F(drop_ip_no_route, 0),
		F(drop_icmp_bad, 0), F(drop_icmp_other, 0),
		F(drop_tcp_bad, 0), F(drop_tcp_csum, 0), F(drop_tcp_ooo, 0),
		F(drop_tcp_no_slot, 0), F(drop_tcp_unacceptable, 0),
	};
#undef F
	struct strbuf s;

	sb_init(&s, buf, cap);
	for (uint32_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!f[i].always && !*f[i].v)
			continue;
		if (s.n)
			sb_str(&s, " ");
		sb_str(&s, f[i].name);
		sb_str(&s, "=");
		sb_u64(&s, *f[i].v);
	}
	return s.n;
}
