/*
 * The one place that knows how user mode enters the kernel: `ud2` followed by
 * the call number byte. The #UD handler reads that byte and resumes after it.
 * To switch to `syscall` or `int n` on hosts where those work, change
 * JTS_TRAP_INSN and the kernel's trap_dispatch only.
 */
#ifndef JTS_SYSCALL_H
#define JTS_SYSCALL_H
#include <stdint.h>
#include "jts_abi.h"

#define JTS_TRAP_INSN "ud2\n\t.byte %c[nr]"

#define JTS_SYSCALL3(num, a, b, c) ({                                           \
	uint64_t _r;                                                            \
	__asm__ volatile(JTS_TRAP_INSN                                         \
			 : "=a"(_r)                                            \
			 : [nr] "i"(num), "D"((uint64_t)(a)), "S"((uint64_t)(b)), \
			   "d"((uint64_t)(c))                                  \
			 : "memory");                                          \
	_r; })

static inline void sys_exit(int code) { JTS_SYSCALL3(SYS_EXIT, code, 0, 0); for (;;) ; }
static inline long sys_write(const void *buf, uint64_t len) { return (long)JTS_SYSCALL3(SYS_WRITE, buf, len, 0); }
static inline long sys_readline(char *buf, uint64_t cap) { return (long)JTS_SYSCALL3(SYS_READLINE, buf, cap, 0); }
static inline uint32_t sys_wait(uint64_t deadline_tsc, uint32_t mask) { return (uint32_t)JTS_SYSCALL3(SYS_WAIT, deadline_tsc, mask, 0); }
static inline uint32_t sys_in(uint32_t port, uint32_t width) { return (uint32_t)JTS_SYSCALL3(SYS_PORT_IN, port, width, 0); }
static inline long sys_out(uint32_t port, uint32_t width, uint32_t v) { return (long)JTS_SYSCALL3(SYS_PORT_OUT, port, width, v); }
static inline uint32_t sys_tsc_khz(void) { return (uint32_t)JTS_SYSCALL3(SYS_TSC_KHZ, 0, 0, 0); }
static inline uint64_t sys_uptime_ms(void) { return JTS_SYSCALL3(SYS_UPTIME_MS, 0, 0, 0); }
static inline long sys_bootinfo(struct jts_bootinfo *bi) { return (long)JTS_SYSCALL3(SYS_BOOTINFO, bi, sizeof *bi, 0); }
static inline long sys_kstats(struct jts_kstats *k) { return (long)JTS_SYSCALL3(SYS_KSTATS, k, sizeof *k, 0); }
static inline void sys_reboot(void) { JTS_SYSCALL3(SYS_REBOOT, 0, 0, 0); for (;;) ; }

#endif
