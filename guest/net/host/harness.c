/*
 * Host harness: runs the guest network stack, unchanged, on a Linux tap
 * device, so the stack can be tested against a real Linux TCP/IP peer (the
 * tap's kernel side) without booting the guest kernel.
 *
 *   net-harness [--tap NAME] [--loss PCT] [net.ip=A.B.C.D/N] [net.echo_port=N] ...
 *
 * --loss PCT drops that percentage of frames in each direction (a fixed
 * pseudo-random sequence), to exercise retransmission on both sides.
 *
 * Signals: SIGTERM/SIGINT print stats and exit; SIGUSR1 = net_tcp_close_all();
 * SIGUSR2 = 3 s "blackout": frames are read and thrown away and the stack is
 * not called at all, like a VM paused during migration whose packets are
 * lost (SIGSTOP/SIGCONT instead emulates a pause where the tap queues them).
 * SIGHUP prints the stats line without exiting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

#define BLACKOUT_MS 3000

static int tap_fd = -1;
static volatile sig_atomic_t want_stop, want_close, want_blackout, want_stats;
static uint64_t t0;
static unsigned loss_pct;
static uint64_t lost_rx, lost_tx;

/* deterministic, so a failing lossy run can be repeated */
static int lose_one(void)
{
	static uint32_t x = 2463534242u;

	if (!loss_pct)
		return 0;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x % 100 < loss_pct;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- callbacks the stack needs ---- */

int net_tx(const uint8_t *frame, uint32_t len)
{
	ssize_t n;

	if (lose_one()) {
		lost_tx++;
		return 0;       /* lost on the wire: the stack cannot tell */
	}
	n = write(tap_fd, frame, len);

	return n == (ssize_t)len ? 0 : -1;
}

uint64_t net_now_ms(void)
{
	return mono_ms();
}

void net_log(const char *msg)
{
	uint64_t t = mono_ms() - t0;

	fprintf(stderr, "[%5llu.%03llu] %s\n", (unsigned long long)(t / 1000),
		(unsigned long long)(t % 1000), msg);
}

/* ---- host side ---- */

static void on_signal(int sig)
{
	switch (sig) {
	case SIGUSR1: want_close = 1; break;
	case SIGUSR2: want_blackout = 1; break;
	case SIGHUP:  want_stats = 1; break;
	default:      want_stop = 1; break;
	}
}

static int tap_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		perror("open /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* IFF_NO_PI: plain Ethernet frames, as virtio-net hands the guest */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("TUNSETIFF");
		close(fd);
		return -1;
	}
	return fd;
}

static void print_stats(void)
{
	char buf[2048];

	net_stats_format(buf, sizeof(buf));
	printf("stats: %s\n", buf);
	if (loss_pct)
		printf("harness: lost %llu frames in, %llu out (--loss %u)\n",
		       (unsigned long long)lost_rx, (unsigned long long)lost_tx, loss_pct);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *tap = "tap0";
	struct net_config cfg;
	struct sigaction sa;
	uint64_t blackout_until = 0, blackout_dropped = 0;
	static uint8_t frame[65536];

	t0 = mono_ms();
	net_config_defaults(&cfg);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tap") && i + 1 < argc) {
			tap = argv[++i];
		} else if (!strcmp(argv[i], "--loss") && i + 1 < argc) {
			loss_pct = (unsigned)atoi(argv[++i]);
		} else if (net_config_parse(&cfg, argv[i]) != 1) {
			fprintf(stderr, "usage: %s [--tap NAME] [--loss PCT] [net.KEY=VALUE]...\n"
				"bad argument: %s\n", argv[0], argv[i]);
			return 2;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;      /* no SA_RESTART: poll() wakes up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	tap_fd = tap_open(tap);
	if (tap_fd < 0)
		return 1;
	net_init(&cfg);
	fprintf(stderr, "harness: attached to %s, pid %d\n", tap, (int)getpid());

	while (!want_stop) {
		struct pollfd pfd = { .fd = tap_fd, .events = POLLIN };
		uint64_t now;

		/* 10 ms: the poll period the stack's contract asks for */
		poll(&pfd, 1, 10);
		if (want_blackout) {
			want_blackout = 0;
			blackout_until = mono_ms() + BLACKOUT_MS;
			net_log("harness: blackout begins (stack frozen, frames dropped)");
		}
		now = mono_ms();
		if (blackout_until && now >= blackout_until) {
			char msg[96];

			blackout_until = 0;
			snprintf(msg, sizeof(msg), "harness: blackout over, %llu frames lost",
				 (unsigned long long)blackout_dropped);
			net_log(msg);
			blackout_dropped = 0;
		}
		for (int i = 0; i < 256; i++) {
			ssize_t n = read(tap_fd, frame, sizeof(frame));

			if (n < 0) {
				if (errno != EAGAIN && errno != EINTR)
					perror("read tap");
				break;
			}
			if (blackout_until)
				blackout_dropped++;
			else if (lose_one())
				lost_rx++;
			else
				net_input(frame, (uint32_t)n);
		}
		if (blackout_until)
			continue;
		if (want_close) {
			want_close = 0;
			net_tcp_close_all();
		}
		if (want_stats) {
			want_stats = 0;
			print_stats();
		}
		net_poll(mono_ms());
	}
	print_stats();
	close(tap_fd);
	return 0;
}
