/*
 * System calls (numbers in include/jts_abi.h, reference in README.md). Each is
 * a short integer-only path: under PVM this code is emulated.
 */
#include "kernel.h"
#include "x86.h"

/* user buffers must lie in mapped memory outside the kernel's own ranges */
int uaccess_ok(uint64_t p, uint64_t len)
{
	if (p < 0x1000 || p + len < p || p + len > kboot.mapped_end)
		return 0;
	for (int i = 0; i < 2; i++)
		if (p < kernel_ranges[i][1] && p + len > kernel_ranges[i][0])
			return 0;
	return 1;
}

static int port_ok(uint64_t port, uint64_t width)
{
	if (width != 1 && width != 2 && width != 4)
		return 0;
	if (port >= 0x3F8 && port + width <= 0x400)
		return 1;
	for (uint32_t i = 0; i < pci_ndev; i++) {
		const struct jts_pci_dev *d = &pci_devs[i];
		if (d->io && port >= d->io && port + width <= (uint64_t)d->io + d->io_size)
			return 1;
	}
	return 0;
}

static uint64_t sys_wait(uint64_t deadline, uint64_t mask)
{
	for (;;) {
		uint32_t ev = dev_pending & (uint32_t)mask & 0xFFFF;
		if (ev) {
			dev_pending &= ~ev;
			return ev;
		}
		if ((mask & WAIT_CONSOLE) && uart_line_ready())
			return WAIT_CONSOLE;
		if (rdtsc() >= deadline)
			return WAIT_TIMEOUT;
		cpu_idle();                   /* any interrupt (timer at least) wakes us */
	}
}

static uint64_t sys_bootinfo(uint64_t ubuf, uint64_t size)
{
	static struct jts_bootinfo bi;    /* built here, then copied out */
	if (size > sizeof bi)
		size = sizeof bi;
	if (!uaccess_ok(ubuf, size))
		return (uint64_t)-1;
	bi.mem_bytes = kboot.mem_bytes;
	bi.low_ram_end = kboot.low_ram_end;
	bi.free_start = paging_free_start;
	bi.mapped_end = kboot.mapped_end;
	bi.cpus = mpinfo.cpus;
	bi.tsc_khz = tsc_khz;
	bi.hz = HZ;
	bi.ndev = pci_ndev;
	bi.ne820 = kboot.ne820;
	for (uint32_t i = 0; i < pci_ndev; i++)
		bi.dev[i] = pci_devs[i];
	for (uint32_t i = 0; i < kboot.ne820; i++)
		bi.e820[i] = kboot.e820[i];
	for (uint32_t i = 0; i < JTS_CMDLINE_MAX; i++)
		bi.cmdline[i] = kboot.cmdline[i];
	/* qword copy: the struct is 8-byte aligned and sized */
	const uint64_t *src = (const uint64_t *)&bi;
	uint64_t *dst = (uint64_t *)ubuf;
	uint64_t n = size / 8;
	for (uint64_t i = 0; i < n; i++)
		dst[i] = src[i];
	for (uint64_t i = n * 8; i < size; i++)
		((uint8_t *)ubuf)[i] = ((const uint8_t *)&bi)[i];
	return size;
}

static uint64_t copy_out(uint64_t ubuf, uint64_t size, const void *src, uint64_t len)
{
	if (size > len)
		size = len;
	if (!uaccess_ok(ubuf, size))
		return (uint64_t)-1;
	for (uint64_t i = 0; i < size; i++)
		((uint8_t *)ubuf)[i] = ((const uint8_t *)src)[i];
	return size;
}

void syscall_dispatch(struct trapframe *tf, unsigned nr)
{
	uint64_t a = tf->rdi, b = tf->rsi, c = tf->rdx;
	uint64_t r = (uint64_t)-1;

	kstats.syscalls++;
	switch (nr) {
	case SYS_EXIT:
		machine_exit((int)a);
	case SYS_WRITE:
		if (uaccess_ok(a, b)) {
			uart_write((const char *)a, b);
			r = b;
		}
		break;
	case SYS_READLINE:
		if (uaccess_ok(a, b))
			r = uart_read_line((char *)a, b);
		break;
	case SYS_WAIT:
		r = sys_wait(a, b);
		break;
	case SYS_PORT_IN:
		if (port_ok(a, b))
			r = b == 1 ? inb((uint16_t)a) : b == 2 ? inw((uint16_t)a) : inl((uint16_t)a);
		break;
	case SYS_PORT_OUT:
		if (port_ok(a, b)) {
			if (b == 1)
				outb((uint16_t)a, (uint8_t)c);
			else if (b == 2)
				outw((uint16_t)a, (uint16_t)c);
			else
				outl((uint16_t)a, (uint32_t)c);
			r = 0;
		}
		break;
	case SYS_TSC_KHZ:
		r = tsc_khz;
		break;
	case SYS_UPTIME_MS:
		r = (rdtsc() - tsc_boot) / tsc_khz;
		break;
	case SYS_BOOTINFO:
		r = sys_bootinfo(a, b);
		break;
	case SYS_REBOOT:
		machine_reboot();
	case SYS_KSTATS:
		r = copy_out(a, b, &kstats, sizeof kstats);
		break;
	default:
		kprintf("JTS:WARN unknown system call %u at rip=0x%lx\n", nr, tf->rip - 3);
	}
	tf->rax = r;
}
