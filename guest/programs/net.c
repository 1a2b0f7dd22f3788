/*
 * net: the virtio-net driver (drivers/virtio_net.c) feeding the portable
 * network stack in guest/net/ (ARP, IPv4, ICMP echo, TCP echo). Everything,
 * stack included, runs in user mode; the kernel only wakes us on the
 * device's interrupt, a console line or the 10 ms deadline the stack needs.
 */
#include "ulib.h"
#include "programs.h"
#include "../drivers/virtio_net.h"

#ifdef JTS_HAVE_NET
#include "../net/net.h"

static struct vnet vn;

/* the callbacks guest/net/net.h asks the embedding environment for */
int net_tx(const uint8_t *frame, uint32_t len) { return vnet_send(&vn, frame, len); }
uint64_t net_now_ms(void) { return now_ms(); }
void net_log(const char *msg) { printf("JTS:NET LOG %s\n", msg); }

static void on_frame(const uint8_t *frame, uint32_t len) { net_input(frame, len); }

static void print_stats(void)
{
	static char buf[1024];
	net_stats_format(buf, sizeof buf);
	printf("JTS:NET STATS %s\n", buf);
}

static void ip_str(char *b, size_t cap, uint32_t ip)
{
	fmt_snprintf(b, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

int prog_net(void)
{
	if (vnet_init(&vn)) {
		printf("JTS:NET ERROR no virtio-net device\n");
		return JTS_EXIT_FAIL;
	}
	struct net_config cfg;
	net_config_defaults(&cfg);
	size_t n;
	int bad = net_config_parse_cmdline(&cfg, g_boot.cmdline);
	if (bad)
		printf("JTS:WARN %d malformed net.* keys ignored\n", bad);
	if (!arg_get("net.mac", &n))
		memcpy(cfg.mac, vn.mac, 6);
	net_init(&cfg);
	char ip[16], mask[16];
	ip_str(ip, sizeof ip, cfg.ip);
	ip_str(mask, sizeof mask, cfg.netmask);
	printf("JTS:NET UP mac=%02x:%02x:%02x:%02x:%02x:%02x ip=%s mask=%s echo_port=%u\n",
	       cfg.mac[0], cfg.mac[1], cfg.mac[2], cfg.mac[3], cfg.mac[4], cfg.mac[5],
	       ip, mask, cfg.echo_port);

	for (;;) {
		char line[128];
		long len;
		while ((len = sys_readline(line, sizeof line - 1)) > 0) {
			line[len] = 0;
			if (!strcmp(line, "status") || !strcmp(line, "stats"))
				print_stats();
			else if (!strcmp(line, "announce"))
				net_announce();
			else if (!strcmp(line, "halt") || !strcmp(line, "reboot")) {
				print_stats();
				common_command(line);
			} else if (!common_command(line))
				printf("JTS:WARN unknown command %s\n", line);
		}
		vnet_poll(&vn, on_frame);
		net_poll(now_ms());
		wait_until(rdtsc() + us_to_tsc(10000), WAIT_DEV(vn.dev.idx) | WAIT_CONSOLE);
	}
}

#else

int prog_net(void)
{
	printf("JTS:NET ERROR this guest was built without guest/net/\n");
	return JTS_EXIT_FAIL;
}

#endif
