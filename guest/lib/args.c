/* Command-line access: "key=value" tokens separated by blanks. */
#include "ulib.h"

struct jts_bootinfo g_boot;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* iterate tokens: returns start of next token at/after *pos, its length in *len */
static const char *next_token(const char **pos, size_t *len)
{
	const char *p = *pos;
	while (*p && is_blank(*p))
		p++;
	if (!*p)
		return 0;
	const char *s = p;
	while (*p && !is_blank(*p))
		p++;
	*len = (size_t)(p - s);
	*pos = p;
	return s;
}

const char *arg_get(const char *key, size_t *len)
{
	size_t kl = strlen(key), tl;
	const char *pos = g_boot.cmdline, *t, *found = 0;
	while ((t = next_token(&pos, &tl))) {
		if (tl > kl && t[kl] == '=' && !strncmp(t, key, kl)) {
			found = t + kl + 1;          /* the last occurrence wins */
			*len = tl - kl - 1;
		}
	}
	return found;
}

uint64_t arg_u64(const char *key, uint64_t def)
{
	size_t n;
	const char *v = arg_get(key, &n);
	uint64_t x;
	if (!v)
		return def;
	if (parse_u64(v, n, &x)) {
		printf("JTS:WARN bad number for %s, using %lu\n", key, def);
		return def;
	}
	return x;
}

uint64_t arg_milli(const char *key, uint64_t def_milli)
{
	size_t n;
	const char *v = arg_get(key, &n);
	uint64_t x;
	if (!v)
		return def_milli;
	if (parse_milli(v, n, &x)) {
		printf("JTS:WARN bad number for %s\n", key);
		return def_milli;
	}
	return x;
}

void arg_str(const char *key, const char *def, char *buf, size_t cap)
{
	size_t n;
	const char *v = arg_get(key, &n);
	if (!v) {
		v = def;
		n = strlen(def);
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, v, n);
	buf[n] = 0;
}

void arg_check_known(const char *const *known)
{
	const char *pos = g_boot.cmdline, *t;
	size_t tl;
	while ((t = next_token(&pos, &tl))) {
		size_t kl = 0;
		while (kl < tl && t[kl] != '=')
			kl++;
		int ok = 0;
		for (const char *const *k = known; *k && !ok; k++) {
			size_t l = strlen(*k);
			if ((*k)[l - 1] == '.')
				ok = kl > l && !strncmp(t, *k, l);
			else
				ok = kl == l && !strncmp(t, *k, l);
		}
		if (!ok) {
			char key[64];
			size_t n = kl < sizeof key - 1 ? kl : sizeof key - 1;
			memcpy(key, t, n);
			key[n] = 0;
			printf("JTS:WARN unknown key %s ignored\n", key);
		}
	}
}
