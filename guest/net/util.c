/* Memory and string helpers, so the stack needs nothing from libc. */
#include "net_internal.h"

/*
 * GCC may turn these loops back into calls to memcpy/memset, which a
 * freestanding kernel might not have; forbid that here.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALLS
#endif

NO_LIBCALLS void net_memcpy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

NO_LIBCALLS void net_memset(void *dst, uint8_t v, uint32_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = v;
}

int net_memeq(const void *a, const void *b, uint32_t n)
{
	const uint8_t *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

void sb_init(struct strbuf *s, char *buf, uint32_t cap)
{
	s->b = buf;
	s->cap = cap;
	s->n = 0;
	if (cap)
		buf[0] = 0;
}

static void sb_ch(struct strbuf *s, char c)
{
	/* always keep room for the terminator; silently truncate */
	if (s->n + 1 < s->cap) {
		s->b[s->n++] = c;
		s->b[s->n] = 0;
	}
}

void sb_str(struct strbuf *s, const char *str)
{
	while (*str)
		sb_ch(s, *str++);
}

void sb_u64(struct strbuf *s, uint64_t v)
{
	/* Subtraction instead of division: no __udivdi3 needed on 32-bit targets. */
	static const uint64_t p10[20] = {
		10000000000000000000ULL, 1000000000000000000ULL,
		100000000000000000ULL, 10000000000000000ULL, 1000000000000000ULL,
		100000000000000ULL, 10000000000000ULL, 1000000000000ULL,
		100000000000ULL, 10000000000ULL, 1000000000ULL, 100000000ULL,
		10000000ULL, 1000000ULL, 100000ULL, 10000ULL, 1000ULL, 100ULL,
		10ULL, 1ULL,
	};
	int started = 0;

	for (int i = 0; i < 20; i++) {
		char d = '0';

		while (v >= p10[i]) {
			v -= p10[i];
			d++;
		}
		if (d != '0' || started || i == 19) {
			sb_ch(s, d);
			started = 1;
		}
	}
}

void sb_ip(struct strbuf *s, uint32_t ip)
{
	for (int i = 3; i >= 0; i--) {
		sb_u64(s, (ip >> (i * 8)) & 0xff);
		if (i)
			sb_ch(s, '.');
	}
}

void sb_mac(struct strbuf *s, const uint8_t *mac)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < ETH_ALEN; i++) {
		if (i)
			sb_ch(s, ':');
		sb_ch(s, hex[mac[i] >> 4]);
		sb_ch(s, hex[mac[i] & 15]);
	}
}
