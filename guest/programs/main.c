/*
 * The user-mode program runner: read the boot info, pick the program named
 * by prog= (default idle), warn about unknown command-line keys, run it.
 */
#include "ulib.h"
#include "programs.h"

static const char *const known_keys[] = {
	"prog",
	"idle.warm_mib", "idle.dirty_kib", "idle.disk_every", "idle.speed", "idle.seed",
	"pattern.mem_mib", "pattern.disk_mib", "pattern.seed", "pattern.rate", "pattern.timers", "pattern.spots",
	"net.",
	0,
};

struct program {
	const char *name;
	int (*run)(void);
};

static const struct program programs[] = {
	{ "idle", prog_idle },
	{ "pattern", prog_pattern },
	{ "net", prog_net },
	{ "shell", prog_shell },
};

void umain(void)
{
	sys_bootinfo(&g_boot);
	time_init();
	arg_check_known(known_keys);

	char name[32];
	arg_str("prog", "idle", name, sizeof name);
	const struct program *p = 0;
	for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
		if (!strcmp(programs[i].name, name))
			p = &programs[i];
	if (!p) {
		printf("JTS:WARN unknown program %s, running idle\n", name);
		p = &programs[0];
	}
	printf("JTS:INIT program=%s\n", p->name);
	int rc = p->run();
	sys_exit(rc);
}

static void print_kstats(void)
{
	static struct jts_kstats k;
	char buf[512];
	int n = 0;
	sys_kstats(&k);
	n += fmt_snprintf(buf + n, sizeof buf - n, "JTS:KSTATS ticks=%lu syscalls=%lu irqs=", k.ticks, k.syscalls);
	for (int p = 0; p < 24; p++)
		if (k.irqs[p])
			n += fmt_snprintf(buf + n, sizeof buf - n, "%d:%lu,", p, k.irqs[p]);
	for (uint32_t d = 0; d < g_boot.ndev && n < (int)sizeof buf; d++)
		if (g_boot.dev[d].vendor == 0x1AF4)
			n += fmt_snprintf(buf + n, sizeof buf - n, " dev%u=%04x:irq%lu/poll%lu", d,
					  g_boot.dev[d].device, k.dev_irq[d], k.dev_polled[d]);
	if (n < (int)sizeof buf)
		n += fmt_snprintf(buf + n, sizeof buf - n, " masked=0x%lx\n", k.masked_pins);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	sys_write(buf, (uint64_t)n);
}

/* status/halt/reboot/kstats handling shared by the programs */
int common_command(const char *line)
{
	if (!strcmp(line, "kstats")) {
		print_kstats();
		return 1;
	}
	if (!strcmp(line, "halt")) {
		printf("JTS:HALT\n");
		sys_exit(JTS_EXIT_OK);
	}
	if (!strcmp(line, "reboot")) {
		printf("JTS:REBOOT\n");
		sys_reboot();
	}
	return 0;
}
