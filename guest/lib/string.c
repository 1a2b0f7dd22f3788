/* Memory and string helpers as plain loops. -fno-tree-loop-distribute-patterns
 * (Makefile) keeps gcc from turning these loops back into calls to themselves. */
#include "ulib.h"

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	uint64_t w = (uint8_t)c * 0x0101010101010101ull;
	while (n && ((uintptr_t)p & 7)) {
		*p++ = (uint8_t)c;
		n--;
	}
	for (; n >= 8; n -= 8, p += 8)
		*(uint64_t *)p = w;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0)
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (uint8_t)a[i] - (uint8_t)b[i];
		if (!a[i])
			return 0;
	}
	return 0;
}

int parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
		else return -1;
		if (v > (~0ull - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int parse_milli(const char *s, size_t n, uint64_t *out)
{
	size_t dot = 0;
	while (dot < n && s[dot] != '.')
		dot++;
	uint64_t ip = 0, fp = 0;
	if (dot == 0 && n > 0 && s[0] == '.')
		ip = 0;
	else if (parse_u64(s, dot, &ip))
		return -1;
	if (dot < n) {
		size_t fl = n - dot - 1;
		if (fl > 3 || (fl && parse_u64(s + dot + 1, fl, &fp)))
			return -1;
		for (size_t i = fl; i < 3; i++)
			fp *= 10;
	}
	*out = ip * 1000 + fp;
	return 0;
}
