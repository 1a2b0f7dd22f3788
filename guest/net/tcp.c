/*
 * TCP (RFC 793/9293, 5681, 6298, 1122): an echo server with a fixed number
 * of connection slots.
 *
 * Each slot owns one ring buffer that is both the receive and the send
 * buffer: received bytes are appended and become echo data at once. So the
 * window we offer is exactly the buffer's free space, and space comes back
 * only when the peer acknowledges our echo of it.
 *
 * Out-of-order data is kept (up to OOO_RANGES holes) directly in the ring at
 * its final place: without SACK, a peer recovering from a loss (e.g. after a
 * VM pause) mixes retransmissions with new data, and dropping the new data
 * costs one of its backed-off RTOs per hole. Deliberately left out: SACK,
 * timestamps, window scaling (so we never offer more than 64 KiB), urgent
 * data, keepalive. Every data segment is ACKed at once (no delayed
 * ACK); echo data normally carries that ACK.
 */
#include "net_internal.h"

#ifndef NET_TCP_MAX_CONN
#define NET_TCP_MAX_CONN 8
#endif
#ifndef NET_TCP_BUF
#define NET_TCP_BUF     16384   /* power of two, at most 65535 */
#endif
#define BUF_MASK        (NET_TCP_BUF - 1)
#define OOO_RANGES      4

#define MSS_MAX         (NET_MTU - IP_HLEN - 20)       /* 1460 */
#define MSS_DEFAULT     536     /* RFC 9293 3.7.1: peer sent no MSS option */
#define MSS_MIN         64      /* ignore absurd MSS options */

#define RTO_INIT        1000
#define RTO_MIN         200     /* like Linux; RFC 6298 says 1 s, too slow here */
#define RTO_MAX         10000   /* low cap: after an outage recovery is quick */
#define SYN_RETRIES     5
#define DATA_RETRIES    15      /* consecutive timeouts without progress */
#define TIME_WAIT_MS    2000    /* short on purpose: echo peers rarely reuse ports fast */
#define PERSIST_MIN     500     /* Linux rate-limits answers to probes to 2/s */
#define PERSIST_MAX     5000

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

enum tcp_state {
	CLOSED = 0, SYN_RCVD, ESTABLISHED, CLOSE_WAIT, LAST_ACK,
	FIN_WAIT_1, FIN_WAIT_2, CLOSING, TIME_WAIT,
};

struct tcp_conn {
	uint8_t  state;
	uint8_t  fin_queued;    /* our FIN follows the buffered data */
	uint8_t  ack_now;       /* an ACK is owed (sent with data if any) */
	uint8_t  dupacks;
	uint8_t  rtx_count;     /* consecutive timeouts, reset by progress */
	uint8_t  rtt_active;
	uint16_t rport, lport;
	uint32_t rip;
	uint16_t mss;           /* effective send MSS */

	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_max;     /* snd_max: highest ever sent */
	uint32_t snd_wnd, snd_wl1, snd_wl2;
	uint32_t rcv_nxt, rcv_adv;              /* rcv_adv: right edge offered */
	uint32_t cwnd, ssthresh, cwnd_acc;
	int32_t  srtt8, rttvar4;                /* ms, scaled by 8 and 4 */
	uint32_t rto;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	uint64_t rtx_at, persist_at, tw_at;     /* 0 = not armed */
	uint32_t persist_ivl;

	/* Received beyond a hole, as [start, end) sequence ranges. They sit in
	 * the ring where they will be once in order: head + len - rcv_nxt is
	 * invariant (acks move head and len together, appends len and
	 * rcv_nxt), so the ring index of sequence s never changes. */
	uint8_t  n_ooo;
	uint8_t  ooo_fin;       /* a FIN seen at ooo_fin_seq */
	uint32_t ooo_fin_seq;
	uint32_t ooo_start[OOO_RANGES], ooo_end[OOO_RANGES];

	uint32_t head, len;     /* ring: byte at snd_una, bytes from snd_una */
	uint8_t  buf[NET_TCP_BUF];
};

static struct tcp_conn conns[NET_TCP_MAX_CONN];
static uint32_t isn_salt;

static int seq_lt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) < 0; }
static int seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static int seq_gt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) > 0; }
static int seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
static uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }

void tcp_init(void)
{
	for (int i = 0; i < NET_TCP_MAX_CONN; i++)
		net_memset(&conns[i], 0, offsetof(struct tcp_conn, buf));
	isn_salt = get32(net_cfg.mac + 2) ^ (uint32_t)net_now_ms();
}

static void conn_log(struct tcp_conn *c, const char *what)
{
	struct strbuf s;
	char buf[120];

	sb_init(&s, buf, sizeof(buf));
	sb_str(&s, "tcp: ");
	sb_ip(&s, c->rip);
	sb_str(&s, ":");
	sb_u64(&s, c->rport);
	sb_str(&s, " ");
	sb_str(&s, what);
	net_log(buf);
}

static void conn_free(struct tcp_conn *c)
{
	if (c->state != SYN_RCVD && c->state != CLOSED)
		net_st.tcp_active--;
	c->state = CLOSED;
}

/* ---- output ---- */

static uint16_t tcp_csum(uint32_t src, uint32_t dst, const uint8_t *seg,
			 uint32_t len)
{
	uint8_t ph[12];

	put32(ph, src);
	put32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = IP_PROTO_TCP;
	put16(ph + 10, (uint16_t)len);
	return csum_fold(csum_add(csum_add(0, ph, 12), seg, len));
}

static void send_raw(uint32_t rip, uint16_t lport, uint16_t rport, uint32_t seq,
		     uint32_t ack, uint8_t flags, uint16_t wnd, uint16_t mss_opt,
		     const struct tcp_conn *data_from, uint32_t data_off,
		     uint32_t dlen)
{
	uint8_t *th = net_txbuf + L4_OFF;
	uint32_t hlen = mss_opt ? 24 : 20;

	put16(th, lport);
	put16(th + 2, rport);
	put32(th + 4, seq);
	put32(th + 8, (flags & TH_ACK) ? ack : 0);
	th[12] = (uint8_t)((hlen / 4) << 4);
	th[13] = flags;
	put16(th + 14, wnd);
	put32(th + 16, 0);              /* checksum, urgent pointer */
	if (mss_opt) {
		th[20] = 2;
		th[21] = 4;
		put16(th + 22, mss_opt);
	}
	if (dlen) {
		/* copy out of the ring, which may wrap once */
		uint32_t pos = (data_from->head + data_off) & BUF_MASK;
		uint32_t first = min32(dlen, NET_TCP_BUF - pos);

		net_memcpy(th + hlen, data_from->buf + pos, first);
		net_memcpy(th + hlen + first, data_from->buf, dlen - first);
	}
	put16(th + 16, tcp_csum(net_cfg.ip, rip, th, hlen + dlen));
	net_st.tcp_segs_out++;
	if (flags & TH_RST)
		net_st.tcp_resets_tx++;
	ipv4_send(rip, IP_PROTO_TCP, hlen + dlen);
}

/*
 * The window to offer. Receiver-side silly window avoidance (RFC 1122
 * 4.2.3.3): the right edge moves only in steps of min(MSS, buffer/2), and it
 * never moves back, so anything we offered still fits.
 */
static uint16_t rcv_window(struct tcp_conn *c)
{
	uint32_t right = c->rcv_nxt + (NET_TCP_BUF - c->len);
	uint32_t step = min32(NET_TCP_BUF / 2, c->mss);

	if (seq_lt(c->rcv_adv, c->rcv_nxt))
		c->rcv_adv = c->rcv_nxt;
	if (seq_geq(right, c->rcv_adv + step))
		c->rcv_adv = right;
	return (uint16_t)min32(c->rcv_adv - c->rcv_nxt, 65535);
}

static void send_seg(struct tcp_conn *c, uint32_t seq, uint32_t dlen, uint8_t flags)
{
	uint16_t mss_opt = (flags & TH_SYN) ? MSS_MAX : 0;

	send_raw(c->rip, c->lport, c->rport, seq, c->rcv_nxt, flags,
		 rcv_window(c), mss_opt, c, seq - c->snd_una, dlen);
	if (flags & TH_ACK)
		c->ack_now = 0;
}

static void send_synack(struct tcp_conn *c)
{
	send_raw(c->rip, c->lport, c->rport, c->iss, c->rcv_nxt, TH_SYN | TH_ACK,
		 rcv_window(c), MSS_MAX, 0, 0, 0);
}

/* Is our FIN in flight or acknowledged? It sits right after the data. */
static int fin_sent(const struct tcp_conn *c)
{
	return c->fin_queued && seq_gt(c->snd_max, c->snd_una + c->len);
}

static int can_send_data(const struct tcp_conn *c)
{
	return c->state == ESTABLISHED || c->state == CLOSE_WAIT ||
	       c->state == FIN_WAIT_1 || c->state == LAST_ACK ||
	       c->state == CLOSING;
}

/* Send what window and congestion window allow, then any owed ACK. */
static void tcp_output(struct tcp_conn *c)
{
	if (c->state == SYN_RCVD || c->state == CLOSED)
		return;
	while (can_send_data(c)) {
		uint32_t off = c->snd_nxt - c->snd_una;
		uint32_t avail, wnd, usable, n;
		uint8_t flags = TH_ACK;
		int fin;

		if (off > c->len)
			break;                  /* FIN already sent */
		avail = c->len - off;
		wnd = min32(c->snd_wnd, c->cwnd);
		usable = wnd > off ? wnd - off : 0;
		n = min32(min32(avail, usable), c->mss);
		fin = c->fin_queued && n == avail;
		if (n == 0 && !fin)
			break;
		/* sender SWS avoidance: no small window-limited segments while
		 * something is in flight; its ACK will open the window */
		if (n < avail && n < c->mss && off > 0)
			break;
		if (fin)
			flags |= TH_FIN;
		if (n && n == avail)
			flags |= TH_PSH;
		if (c->snd_nxt == c->snd_max && !c->rtt_active && n) {
			c->rtt_active = 1;
			c->rtt_seq = c->snd_nxt + n;
			c->rtt_start = net_time;
		}
		send_seg(c, c->snd_nxt, n, flags);
		c->snd_nxt += n + (fin ? 1 : 0);
		if (seq_gt(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		if (!c->rtx_at)
			c->rtx_at = net_time + c->rto;
		if (fin)
			break;
	}

	/* zero window with data waiting and nothing in flight: probe */
	if (can_send_data(c) && c->snd_wnd == 0 && c->snd_max == c->snd_una &&
	    c->len > 0) {
		if (!c->persist_at) {
			c->persist_ivl = max32(c->rto, PERSIST_MIN);
			c->persist_at = net_time + c->persist_ivl;
		}
	} else {
		c->persist_at = 0;
	}

	/* our window opened a lot since last offered, and the peer may be
	 * waiting on it: say so */
	if (!c->ack_now && (c->state == ESTABLISHED || c->state == FIN_WAIT_1 ||
			    c->state == FIN_WAIT_2)) {
		uint32_t offered = c->rcv_adv - c->rcv_nxt;
		uint32_t could = NET_TCP_BUF - c->len;

		if (offered <= NET_TCP_BUF / 2 && could >= offered + 2 * c->mss)
			c->ack_now = 1;
	}
	if (c->ack_now)
		send_seg(c, c->snd_nxt, 0, TH_ACK);
}

/* Resend the first unacknowledged segment, ignoring the windows. */
static void retransmit_head(struct tcp_conn *c, int go_back)
{
	uint32_t n = min32(c->len, c->mss);
	int fin = c->fin_queued && n == c->len;
	uint8_t flags = TH_ACK | (fin ? TH_FIN : 0) | (n ? TH_PSH : 0);

	c->rtt_active = 0;              /* Karn: no RTT from resent data */
	send_seg(c, c->snd_una, n, flags);
	if (go_back) {
		c->snd_nxt = c->snd_una + n + (fin ? 1 : 0);
		if (seq_gt(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
	}
}

static void send_rst_for(uint32_t src, const uint8_t *th, uint32_t seglen)
{
	uint8_t flags = th[13];

	/* RFC 9293 3.10.7.1: make the RST acceptable to the sender */
	if (flags & TH_ACK)
		send_raw(src, get16(th + 2), get16(th), get32(th + 8), 0,
			 TH_RST, 0, 0, 0, 0, 0);
	else
		send_raw(src, get16(th + 2), get16(th), 0, get32(th + 4) + seglen,
			 TH_RST | TH_ACK, 0, 0, 0, 0, 0);
}

/* ---- input ---- */

static struct tcp_conn *lookup(uint32_t src, uint16_t sport, uint16_t dport)
{
	for (int i = 0; i < NET_TCP_MAX_CONN; i++) {
		struct tcp_conn *c = &conns[i];

		if (c->state != CLOSED && c->rip == src && c->rport == sport &&
		    c->lport == dport)
			return c;
	}
	return 0;
}

static struct tcp_conn *alloc_slot(void)
{
	struct tcp_conn *tw = 0;

	for (int i = 0; i < NET_TCP_MAX_CONN; i++) {
		if (conns[i].state == CLOSED)
			return &conns[i];
		if (conns[i].state == TIME_WAIT &&
		    (!tw || conns[i].tw_at < tw->tw_at))
			tw = &conns[i];
	}
	if (tw) {
		net_st.tcp_closed++;
		conn_free(tw);
	}
	return tw;      /* 0: full; the SYN is dropped and the peer retries */
}

static uint16_t parse_mss(const uint8_t *th, uint32_t hlen)
{
	const uint8_t *o = th + 20, *end = th + hlen;

	while (o < end) {
		if (o[0] == 0)                  /* end of options */
			break;
		if (o[0] == 1) {                /* no-op */
			o++;
			continue;
		}
		if (end - o < 2 || o[1] < 2 || o[1] > end - o)
			break;
		if (o[0] == 2 && o[1] == 4)
			return get16(o + 2);
		o += o[1];
	}
	return 0;
}

/* RFC 6528-ish: unpredictable enough for a test guest, never repeating
 * quickly for one peer. */
static uint32_t gen_isn(uint32_t src, uint16_t sport)
{
	uint32_t h = isn_salt ^ src ^ ((uint32_t)sport << 16);

	isn_salt = isn_salt * 1664525u + 1013904223u;
	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	h *= 0x846ca68bU;
	h ^= h >> 16;
	return h + (uint32_t)net_time * 250;    /* ~ RFC 793's 4 us clock */
}

static void accept_syn(uint32_t src, const uint8_t *th, uint32_t hlen)
{
	struct tcp_conn *c = alloc_slot();
	uint16_t mss = parse_mss(th, hlen);

	if (!c) {
		net_st.drop_tcp_no_slot++;
		return;
	}
	net_memset(c, 0, offsetof(struct tcp_conn, buf));
	c->state = SYN_RCVD;
	c->rip = src;
	c->rport = get16(th);
	c->lport = get16(th + 2);
	c->irs = get32(th + 4);
	c->rcv_nxt = c->irs + 1;
	c->rcv_adv = c->rcv_nxt;
	if (!mss)
		mss = MSS_DEFAULT;
	c->mss = (uint16_t)max32(min32(mss, MSS_MAX), MSS_MIN);
	c->iss = gen_isn(src, c->rport);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->snd_wnd = get16(th + 14);
	c->snd_wl1 = c->irs;
	c->rto = RTO_INIT;
	/* RFC 5681 initial window; ssthresh "arbitrarily high" */
	c->cwnd = c->mss > 2190 ? 2u * c->mss : c->mss > 1095 ? 3u * c->mss : 4u * c->mss;
	c->ssthresh = 65535;
	c->rtt_active = 1;
	c->rtt_seq = c->iss + 1;
	c->rtt_start = net_time;
	send_synack(c);
	c->rtx_at = net_time + c->rto;
}

static void rtt_sample(struct tcp_conn *c, uint32_t r)
{
	int32_t m = (int32_t)min32(r, 60000);

	/* RFC 6298 2.2/2.3 in Jacobson's scaled integer form */
	if (!c->srtt8) {
		c->srtt8 = m << 3;
		c->rttvar4 = m << 1;
	} else {
		int32_t delta = m - (c->srtt8 >> 3);

		c->srtt8 += delta;
		if (delta < 0)
			delta = -delta;
		c->rttvar4 += delta - (c->rttvar4 >> 2);
	}
	if (c->srtt8 < 8)
		c->srtt8 = 8;   /* keep "have a sample" distinct from 0 */
	c->rto = min32(max32((uint32_t)((c->srtt8 >> 3) + c->rttvar4), RTO_MIN), RTO_MAX);
}

static void enter_time_wait(struct tcp_conn *c)
{
	c->state = TIME_WAIT;
	c->rtx_at = 0;
	c->persist_at = 0;
	c->tw_at = net_time + TIME_WAIT_MS;
}

/* New data acknowledged. Returns 0 if the connection is gone. */
static int ack_advance(struct tcp_conn *c, uint32_t ack)
{
	uint32_t acked = ack - c->snd_una;
	uint32_t data = min32(acked, c->len);
	int fin_acked = fin_sent(c) && acked > c->len;

	c->head = (c->head + data) & BUF_MASK;
	c->len -= data;
	net_st.tcp_bytes_echoed += data;
	c->snd_una = ack;
	if (seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;

	if (c->rtt_active && seq_geq(ack, c->rtt_seq)) {
		rtt_sample(c, (uint32_t)(net_time - c->rtt_start));
		c->rtt_active = 0;
	}
	/* progress: forget the backoff */
	c->rtx_count = 0;
	c->dupacks = 0;
	if (c->srtt8)
		c->rto = min32(max32((uint32_t)((c->srtt8 >> 3) + c->rttvar4), RTO_MIN), RTO_MAX);

	/* RFC 5681 slow start / congestion avoidance, byte counting */
	if (c->cwnd < c->ssthresh) {
		c->cwnd += min32(data, c->mss);
	} else {
		c->cwnd_acc += data;
		if (c->cwnd_acc >= c->cwnd) {
			c->cwnd_acc -= c->cwnd;
			c->cwnd += c->mss;
		}
	}
	if (c->cwnd > (1u << 20))
		c->cwnd = 1u << 20;

	c->rtx_at = c->snd_una == c->snd_max ? 0 : net_time + c->rto;

	if (fin_acked) {
		if (c->state == FIN_WAIT_1) {
			c->state = FIN_WAIT_2;
		} else if (c->state == CLOSING) {
			enter_time_wait(c);
		} else if (c->state == LAST_ACK) {
			net_st.tcp_closed++;
			conn_log(c, "closed");
			conn_free(c);
			return 0;
		}
	}
	return 1;
}

/* Copy into the ring at the place of sequence seq (>= rcv_nxt, in window). */
static void ring_put(struct tcp_conn *c, uint32_t seq, const uint8_t *data,
		     uint32_t n)
{
	uint32_t pos = (c->head + c->len + (seq - c->rcv_nxt)) & BUF_MASK;
	uint32_t first = min32(n, NET_TCP_BUF - pos);

	net_memcpy(c->buf + pos, data, first);
	net_memcpy(c->buf, data + first, n - first);
}

/* Keep an out-of-order segment (seq > rcv_nxt) as far as the free space
 * reaches; ranges are kept sorted and disjoint. */
static void ooo_store(struct tcp_conn *c, uint32_t seq, const uint8_t *data,
		      uint32_t dlen, int fin)
{
	uint32_t room = NET_TCP_BUF - c->len;
	uint32_t off = seq - c->rcv_nxt, end, dseq = seq;
	int i, j;

	if (off >= room || (!dlen && !fin)) {
		net_st.drop_tcp_ooo++;
		return;
	}
	if (dlen > room - off) {
		dlen = room - off;
		fin = 0;
	}
	end = seq + dlen;
	/* merge with every range it touches */
	for (i = 0; i < c->n_ooo;) {
		if (seq_gt(seq, c->ooo_end[i]) || seq_gt(c->ooo_start[i], end)) {
			i++;
			continue;
		}
		if (seq_lt(c->ooo_start[i], seq))
			seq = c->ooo_start[i];
		if (seq_gt(c->ooo_end[i], end))
			end = c->ooo_end[i];
		for (j = i + 1; j < c->n_ooo; j++) {
			c->ooo_start[j - 1] = c->ooo_start[j];
			c->ooo_end[j - 1] = c->ooo_end[j];
		}
		c->n_ooo--;
	}
	if (c->n_ooo == OOO_RANGES) {
		net_st.drop_tcp_ooo++;  /* too fragmented; the peer resends */
		return;
	}
	for (i = c->n_ooo; i > 0 && seq_gt(c->ooo_start[i - 1], seq); i--) {
		c->ooo_start[i] = c->ooo_start[i - 1];
		c->ooo_end[i] = c->ooo_end[i - 1];
	}
	c->ooo_start[i] = seq;
	c->ooo_end[i] = end;
	c->n_ooo++;
	ring_put(c, dseq, data, dlen);
	if (fin) {
		c->ooo_fin = 1;
		c->ooo_fin_seq = end;
	}
	net_st.tcp_ooo_queued++;
}

/* After in-order data: take over every range that now starts at rcv_nxt.
 * Returns 1 if a FIN queued out of order is now in order. */
static int ooo_drain(struct tcp_conn *c)
{
	while (c->n_ooo && seq_leq(c->ooo_start[0], c->rcv_nxt)) {
		if (seq_gt(c->ooo_end[0], c->rcv_nxt)) {
			uint32_t n = c->ooo_end[0] - c->rcv_nxt;

			c->len += n;
			c->rcv_nxt += n;
			net_st.tcp_bytes_rx += n;
		}
		for (int j = 1; j < c->n_ooo; j++) {
			c->ooo_start[j - 1] = c->ooo_start[j];
			c->ooo_end[j - 1] = c->ooo_end[j];
		}
		c->n_ooo--;
	}
	if (c->ooo_fin && c->rcv_nxt == c->ooo_fin_seq && !c->n_ooo) {
		c->ooo_fin = 0;
		return 1;
	}
	return 0;
}

static void segment_arrives(struct tcp_conn *c, const uint8_t *th, uint32_t hlen,
			    uint32_t dlen)
{
	uint8_t flags = th[13];
	uint32_t seq = get32(th + 4), ack = get32(th + 8);
	uint32_t wnd = get16(th + 14);
	uint32_t seglen = dlen + ((flags & TH_SYN) ? 1 : 0) + ((flags & TH_FIN) ? 1 : 0);
	uint32_t offered;
	const uint8_t *data = th + hlen;

	/* our SYN-ACK was lost: the peer repeats its SYN */
	if (c->state == SYN_RCVD && (flags & TH_SYN) && !(flags & TH_ACK)) {
		if (seq == c->irs)
			send_synack(c);
		return;
	}

	/* RFC 9293 3.10.7.4 acceptability, in Linux's form: any overlap with
	 * [rcv_nxt, rcv_adv], so zero-window probes and old duplicates (which
	 * need an ACK, e.g. the peer retransmitting after our VM paused) pass */
	offered = c->rcv_adv - c->rcv_nxt;
	if (seq_lt(seq + seglen, c->rcv_nxt) || seq_gt(seq, c->rcv_nxt + offered)) {
		net_st.drop_tcp_unacceptable++;
		if (!(flags & TH_RST))
			c->ack_now = 1;
		return;
	}

	if (flags & TH_RST) {
		/* RFC 5961: only an exact hit resets; else a challenge ACK */
		if (seq == c->rcv_nxt) {
			net_st.tcp_resets_rx++;
			conn_log(c, "reset by peer");
			conn_free(c);
		} else {
			c->ack_now = 1;
		}
		return;
	}
	if (flags & TH_SYN) {           /* RFC 5961 4: challenge ACK */
		c->ack_now = 1;
		return;
	}
	if (!(flags & TH_ACK))
		return;

	if (c->state == SYN_RCVD) {
		if (ack != c->snd_max) {
			send_rst_for(c->rip, th, seglen);
			return;
		}
		c->state = ESTABLISHED;
		c->snd_una = ack;
		c->rtx_at = 0;
		c->rtx_count = 0;
		if (c->rtt_active)
			rtt_sample(c, (uint32_t)(net_time - c->rtt_start));
		c->rtt_active = 0;
		c->snd_wnd = wnd;
		c->snd_wl1 = seq;
		c->snd_wl2 = ack;
		net_st.tcp_accepted++;
		net_st.tcp_active++;
		conn_log(c, "accepted");
	}

	if (seq_gt(ack, c->snd_max)) {  /* acks what we never sent */
		c->ack_now = 1;
		return;
	}
	if (seq_gt(ack, c->snd_una)) {
		if (!ack_advance(c, ack))
			return;
	} else if (ack == c->snd_una && dlen == 0 && !(flags & TH_FIN) &&
		   wnd == c->snd_wnd && c->snd_max != c->snd_una) {
		/* RFC 5681 3.2 fast retransmit (without the recovery phase) */
		if (++c->dupacks == 3) {
			c->ssthresh = max32((c->snd_max - c->snd_una) / 2, 2u * c->mss);
			c->cwnd = c->ssthresh;
			net_st.tcp_fast_retransmits++;
			net_st.tcp_retransmits++;
			retransmit_head(c, 0);
		}
	}
	if (seq_lt(c->snd_wl1, seq) ||
	    (c->snd_wl1 == seq && seq_leq(c->snd_wl2, ack))) {
		c->snd_wnd = wnd;
		c->snd_wl1 = seq;
		c->snd_wl2 = ack;
	}

	if (!dlen && !(flags & TH_FIN))
		return;
	if (c->state != ESTABLISHED && c->state != FIN_WAIT_1 &&
	    c->state != FIN_WAIT_2) {
		/* peer's FIN already taken: this is a retransmission */
		c->ack_now = 1;
		if (c->state == TIME_WAIT)
			c->tw_at = net_time + TIME_WAIT_MS;
		return;
	}
	if (seq_gt(seq, c->rcv_nxt)) {
		/* a hole: keep what fits, the duplicate ACK asks for the rest */
		if (c->state == ESTABLISHED)
			ooo_store(c, seq, data, dlen, (flags & TH_FIN) != 0);
		else
			net_st.drop_tcp_ooo++;
		c->ack_now = 1;
		return;
	}
	{
		uint32_t skip = c->rcv_nxt - seq;       /* already have these */
		int fin = (flags & TH_FIN) != 0;
		uint32_t n;

		if (skip > dlen) {              /* even the FIN is old */
			dlen = 0;
			fin = 0;
		} else {
			data += skip;
			dlen -= skip;
		}
		n = dlen;
		if (c->state == ESTABLISHED) {
			n = min32(n, NET_TCP_BUF - c->len);
			ring_put(c, c->rcv_nxt, data, n);
			c->len += n;
			net_st.tcp_bytes_rx += n;
		}
		/* after our own close the data is acked and dropped */
		c->rcv_nxt += n;
		c->ack_now = 1;
		if (n == dlen && c->state == ESTABLISHED && ooo_drain(c))
			fin = 1;
		if (fin && n == dlen) {
			c->rcv_nxt++;
			if (c->state == ESTABLISHED) {
				/* CLOSE_WAIT, and the echo service closes at
				 * once: FIN goes after the remaining echo */
				c->state = LAST_ACK;
				c->fin_queued = 1;
				conn_log(c, "peer closed");
			} else if (c->state == FIN_WAIT_1) {
				c->state = CLOSING;
			} else {
				enter_time_wait(c);
			}
		}
	}
}

void tcp_input(uint32_t src, const uint8_t *th, uint32_t len)
{
	struct tcp_conn *c;
	uint32_t hlen, seglen;
	uint8_t flags;

	net_st.tcp_segs_in++;
	if (len < 20) {
		net_st.drop_tcp_bad++;
		return;
	}
	hlen = (uint32_t)(th[12] >> 4) * 4;
	if (hlen < 20 || hlen > len) {
		net_st.drop_tcp_bad++;
		return;
	}
	if (tcp_csum(src, net_cfg.ip, th, len) != 0) {
		net_st.drop_tcp_csum++;
		return;
	}
	flags = th[13];
	seglen = len - hlen + ((flags & TH_SYN) ? 1 : 0) + ((flags & TH_FIN) ? 1 : 0);

	c = lookup(src, get16(th), get16(th + 2));
	/* RFC 6191-style reuse: a fresh SYN beyond the old sequence space
	 * ends TIME_WAIT early */
	if (c && c->state == TIME_WAIT && (flags & (TH_SYN | TH_ACK)) == TH_SYN &&
	    seq_gt(get32(th + 4), c->rcv_nxt)) {
		net_st.tcp_closed++;
		conn_free(c);
		c = 0;
	}
	if (!c) {
		if (flags & TH_RST)
			return;
		if (get16(th + 2) == net_cfg.echo_port &&
		    (flags & (TH_SYN | TH_ACK | TH_FIN)) == TH_SYN) {
			accept_syn(src, th, hlen);
			return;
		}
		send_rst_for(src, th, seglen);
		return;
	}
	segment_arrives(c, th, hlen, len - hlen);
	if (c->state != CLOSED)
		tcp_output(c);
}

/* ---- timers ---- */

static void abort_conn(struct tcp_conn *c, const char *why)
{
	if (c->state != SYN_RCVD)
		send_seg(c, c->snd_nxt, 0, TH_RST | TH_ACK);
	net_st.tcp_aborted++;
	conn_log(c, why);
	conn_free(c);
}

static void on_rto(struct tcp_conn *c)
{
	net_st.tcp_retransmits++;
	if (++c->rtx_count > (c->state == SYN_RCVD ? SYN_RETRIES : DATA_RETRIES)) {
		abort_conn(c, "aborted: too many retransmissions");
		return;
	}
	c->rto = min32(c->rto * 2, RTO_MAX);
	if (c->state == SYN_RCVD) {
		c->rtt_active = 0;
		send_synack(c);
	} else {
		/* RFC 5681 3.1 on timeout; then go-back-N from snd_una */
		c->ssthresh = max32((c->snd_max - c->snd_una) / 2, 2u * c->mss);
		c->cwnd = c->mss;
		c->cwnd_acc = 0;
		c->dupacks = 0;
		retransmit_head(c, 1);
	}
	c->rtx_at = net_time + c->rto;
}

void tcp_poll(void)
{
	for (int i = 0; i < NET_TCP_MAX_CONN; i++) {
		struct tcp_conn *c = &conns[i];

		if (c->state == CLOSED)
			continue;
		if (c->state == TIME_WAIT) {
			if (net_time >= c->tw_at) {
				net_st.tcp_closed++;
				conn_log(c, "closed (TIME_WAIT over)");
				conn_free(c);
			}
			continue;
		}
		if (c->rtx_at && net_time >= c->rtx_at) {
			on_rto(c);
			if (c->state == CLOSED)
				continue;
		}
		if (c->persist_at && net_time >= c->persist_at) {
			/* an out-of-window ACK makes the peer restate its window */
			net_st.tcp_persist_probes++;
			send_seg(c, c->snd_una - 1, 0, TH_ACK);
			c->persist_ivl = min32(c->persist_ivl * 2, PERSIST_MAX);
			c->persist_at = net_time + c->persist_ivl;
		}
		tcp_output(c);
	}
}

/*
 * After a pause the peer may have given up on lost segments for a while
 * (its RTO backed off): resend our oldest unacked segment now, which also
 * re-announces our window, instead of waiting out our own timer. This is
 * not a timeout, so no backoff and no retry is counted.
 */
void tcp_resume(void)
{
	for (int i = 0; i < NET_TCP_MAX_CONN; i++) {
		struct tcp_conn *c = &conns[i];

		if (c->state == CLOSED || c->state == TIME_WAIT)
			continue;
		c->rtt_active = 0;
		if (c->state == SYN_RCVD) {
			send_synack(c);
		} else if (c->snd_max != c->snd_una) {
			retransmit_head(c, 0);
			c->rtx_at = net_time + c->rto;
		} else {
			c->ack_now = 1;
			tcp_output(c);
		}
	}
}

void net_tcp_close_all(void)
{
	for (int i = 0; i < NET_TCP_MAX_CONN; i++) {
		struct tcp_conn *c = &conns[i];

		if (c->state == SYN_RCVD) {
			send_raw(c->rip, c->lport, c->rport, c->snd_nxt, 0, TH_RST,
				 0, 0, 0, 0, 0);
			conn_free(c);
		} else if (c->state == ESTABLISHED) {
			c->state = FIN_WAIT_1;
			c->fin_queued = 1;
			conn_log(c, "closing");
			tcp_output(c);
		}
	}
}
