#include <stdarg.h>
#include "ulib.h"

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	sys_write(buf, (uint64_t)n);
	return n;
}

void puts_raw(const char *s)
{
	sys_write(s, strlen(s));
}
