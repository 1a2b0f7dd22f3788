/*
 * Where every trap and interrupt lands: system calls (#UD from user mode on
 * `ud2; .byte nr`), the timer, device IRQs, and everything else is a panic
 * with a JTS:PANIC line.
 */
#include "kernel.h"
#include "x86.h"

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static void panic_trap(const struct trapframe *tf)
{
	const char *name = tf->vector < 32 && exc_names[tf->vector] ? exc_names[tf->vector] : "unexpected vector";
	kpanic("vector=%lu (%s) err=0x%lx rip=0x%lx cr2=0x%lx cs=0x%lx rsp=0x%lx rflags=0x%lx mode=%s",
	       tf->vector, name, tf->error, tf->rip, read_cr2(), tf->cs, tf->rsp, tf->rflags,
	       (tf->cs & 3) ? "user" : "kernel");
}

void trap_dispatch(struct trapframe *tf)
{
	uint64_t v = tf->vector;

	if (v == 6 && (tf->cs & 3) == 3) {
		/* system call: ud2 (0F 0B) followed by the call number. The
		 * instruction was just fetched from there, so it is mapped. */
		const uint8_t *ip = (const uint8_t *)tf->rip;
		if (ip[0] == 0x0F && ip[1] == 0x0B) {
			unsigned nr = ip[2];
			tf->rip += 3;
			syscall_dispatch(tf, nr);
			return;
		}
	}
	if (v == VEC_TIMER) {
		irq_timer();
		lapic_eoi();
		return;
	}
	if (v >= VEC_IRQ0 && v < VEC_IRQ0 + 24) {
		irq_pin((unsigned)(v - VEC_IRQ0));
		lapic_eoi();
		return;
	}
	if (v == VEC_SPURIOUS)
		return;                       /* spurious: no EOI */
	panic_trap(tf);
}
