/*
 * The user-mode program runner: read the boot info, pick the program named
 * by prog= (default idle), warn about unknown command-line keys, run it.
 */
#include "ulib.h"
#include "programs.h"

static const char *const known_keys[] = {
	"prog",
	"idle.warm_mib", "idle.dirty_kib", "idle.disk_every", "idle.speed", "idle.seed",
	"pattern.mem_mib", "pattern.disk_mib", "pattern.seed", "pattern.rate",
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

/* status/halt/reboot handling shared by the programs */
int common_command(const char *line)
{
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
