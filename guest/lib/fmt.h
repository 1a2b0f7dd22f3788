/* printf-style formatting into a buffer. Pure code, no system calls: used by
 * user programs and by the kernel's kprintf alike. */
#ifndef JTS_FMT_H
#define JTS_FMT_H
#include <stdarg.h>
#include <stddef.h>

/* Supports %d %i %u %x %X %c %s %p %% with flags '-' '0', a width, and the
 * length modifiers l, ll, z. Returns the length the output would have had
 * (like snprintf); the buffer is always NUL-terminated when size > 0. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
