/* A minimal interactive shell on the serial console. */
#include "ulib.h"
#include "programs.h"

int prog_shell(void)
{
	printf("JTS:SHELL ready (commands: mem cpus uptime devs crash halt reboot)\n");
	for (;;) {
		char line[128];
		long n = sys_readline(line, sizeof line - 1);
		if (n <= 0) {
			wait_until(~0ull, WAIT_CONSOLE);
			continue;
		}
		line[n] = 0;
		if (!strcmp(line, "mem"))
			printf("JTS:SHELL mem_mib=%lu free_start=0x%lx low_ram_end=0x%lx\n",
			       g_boot.mem_bytes >> 20, g_boot.free_start, g_boot.low_ram_end);
		else if (!strcmp(line, "cpus"))
			printf("JTS:SHELL cpus=%u\n", g_boot.cpus);
		else if (!strcmp(line, "uptime"))
			printf("JTS:SHELL uptime_ms=%lu\n", sys_uptime_ms());
		else if (!strcmp(line, "devs"))
			for (uint32_t i = 0; i < g_boot.ndev; i++)
				printf("JTS:SHELL dev %u slot=%u %04x:%04x io=%x irq=%u pin=%u\n", i,
				       g_boot.dev[i].slot, g_boot.dev[i].vendor, g_boot.dev[i].device,
				       g_boot.dev[i].io, g_boot.dev[i].irq_line, g_boot.dev[i].ioapic_pin);
		else if (!strcmp(line, "crash"))
			*(volatile int *)0 = 1;       /* tests the JTS:PANIC path */
		else if (!common_command(line))
			printf("JTS:SHELL unknown command %s\n", line);
	}
}
