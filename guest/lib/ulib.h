/* The small user-mode library every program and user-mode driver uses. */
#ifndef JTS_ULIB_H
#define JTS_ULIB_H

#include <stdint.h>
#include <stddef.h>
#include "jts_abi.h"
#include "syscall.h"
#include "fmt.h"

/* boot information, filled once by umain */
extern struct jts_bootinfo g_boot;

/* string.c: plain byte/word loops (never rep string instructions) */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* parse an unsigned decimal (or 0x hex) number of exactly n chars; -1 on error */
int parse_u64(const char *s, size_t n, uint64_t *out);
/* parse a decimal with up to 3 fractional digits into thousandths */
int parse_milli(const char *s, size_t n, uint64_t *out);

/* printf.c */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void puts_raw(const char *s);

/* args.c: the kernel command line, "key=value" tokens separated by blanks */
/* value of key (NUL-free view: *len set), or NULL if absent */
const char *arg_get(const char *key, size_t *len);
uint64_t arg_u64(const char *key, uint64_t def);
uint64_t arg_milli(const char *key, uint64_t def_milli);
/* copy the value of key into buf (NUL-terminated), or def */
void arg_str(const char *key, const char *def, char *buf, size_t cap);
/* print JTS:WARN for every key not in the NULL-terminated list (prefix
 * entries end with '.': "net." accepts every net.* key) */
void arg_check_known(const char *const *known);

/* time.c: TSC-based time; the TSC frequency comes from the kernel */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
extern uint64_t g_tsc_khz;
void time_init(void);
uint64_t now_us(void);
uint64_t now_ms(void);
uint64_t us_to_tsc(uint64_t us);
/* sleep until the TSC passes deadline or an event in mask arrives */
uint32_t wait_until(uint64_t deadline_tsc, uint32_t mask);

/* alloc.c: physically contiguous memory (identity mapped, so pointer ==
 * guest-physical address) for DMA rings and buffers, below JTS_WORK_BASE */
void *palloc(size_t size, size_t align);
/* bytes palloc could still hand out at this alignment */
uint64_t palloc_avail(size_t align);

/* splitmix64 step, for reproducible pseudo-random choices */
static inline uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* port I/O through the kernel (only PCI device BARs and the UART) */
static inline uint8_t in8(uint32_t p) { return (uint8_t)sys_in(p, 1); }
static inline uint16_t in16(uint32_t p) { return (uint16_t)sys_in(p, 2); }
static inline uint32_t in32(uint32_t p) { return sys_in(p, 4); }
static inline void out8(uint32_t p, uint8_t v) { sys_out(p, 1, v); }
static inline void out16(uint32_t p, uint16_t v) { sys_out(p, 2, v); }
static inline void out32(uint32_t p, uint32_t v) { sys_out(p, 4, v); }

/* compiler and full memory barriers (user mode, x86-TSO) */
#define barrier() __asm__ volatile("" ::: "memory")
#define mb() __asm__ volatile("lock; addl $0, (%%rsp)" ::: "memory", "cc")

/* the common serial commands; returns 1 if handled (halt/reboot don't return) */
int common_command(const char *line);

#endif
