/* Kernel console output, panic and the two ways to end the machine. */
#include <stdarg.h>
#include "kernel.h"
#include "x86.h"
#include "../lib/fmt.h"

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	uart_write(buf, (size_t)n);
}

void machine_exit(int code)
{
	/* exit device (QEMU isa-debug-exit / our VMM): status (code << 1) | 1 */
	outb(0xF4, (uint8_t)code);
	for (;;) {
		cli();
		hlt();
	}
}

void machine_reboot(void)
{
	/* i8042 pulse reset line; our VMM (and QEMU -no-reboot) ends the VM */
	for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)
		;
	outb(0x64, 0xFE);
	for (;;) {
		cli();
		hlt();
	}
}

void kpanic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	cli();
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	early_puts("JTS:PANIC ");
	uart_write(buf, (size_t)n);
	early_puts("\n");
	machine_exit(JTS_EXIT_PANIC);
}
