/* key=value configuration from the kernel command line. */
#include "net_internal.h"

void net_config_defaults(struct net_config *cfg)
{
	static const uint8_t mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	net_memset(cfg, 0, sizeof(*cfg));
	net_memcpy(cfg->mac, mac, ETH_ALEN);
	cfg->ip = 0x0A00020F;           /* 10.0.2.15 */
	cfg->netmask = 0xFFFFFF00;
	cfg->echo_port = 7;
}

/* Decimal in [0, max]; *pp advanced past the digits. */
static int parse_num(const char **pp, uint32_t max, uint32_t *out)
{
	const char *p = *pp;
	uint32_t v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (uint32_t)(*p++ - '0');
		if (v > max)
			return -1;
	}
	*pp = p;
	*out = v;
	return 0;
}

static int parse_ip(const char **pp, uint32_t *out)
{
	uint32_t ip = 0, b;

	for (int i = 0; i < 4; i++) {
		if (i && *(*pp)++ != '.')
			return -1;
		if (parse_num(pp, 255, &b))
			return -1;
		ip = ip << 8 | b;
	}
	*out = ip;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Token ends at NUL or whitespace (so cmdline parsing needs no copies). */
static int at_end(const char *p)
{
	return *p == 0 || *p == ' ' || *p == '\t' || *p == '\n';
}

/* Returns the value part if token starts with key, else 0. */
static const char *match(const char *token, const char *key)
{
	while (*key)
		if (*token++ != *key++)
			return 0;
	return token;
}

int net_config_parse(struct net_config *cfg, const char *t)
{
	const char *v;
	uint32_t ip, n;

	if (!match(t, "net."))
		return 0;
	if ((v = match(t, "net.ip="))) {
		uint32_t prefix = 24;

		if (parse_ip(&v, &ip))
			return -1;
		if (*v == '/') {
			v++;
			if (parse_num(&v, 32, &prefix) || prefix == 0)
				return -1;
		}
		if (!at_end(v))
			return -1;
		cfg->ip = ip;
		cfg->netmask = prefix == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
		return 1;
	}
	if ((v = match(t, "net.mask="))) {
		if (parse_ip(&v, &ip) || !at_end(v))
			return -1;
		/* must be contiguous ones */
		if (ip == 0 || ((~ip + 1) & ~ip) != 0)
			return -1;
		cfg->netmask = ip;
		return 1;
	}
	if ((v = match(t, "net.gw="))) {
		if (parse_ip(&v, &ip) || !at_end(v))
			return -1;
		cfg->gateway = ip;
		return 1;
	}
	if ((v = match(t, "net.echo_port="))) {
		if (parse_num(&v, 65535, &n) || n == 0 || !at_end(v))
			return -1;
		cfg->echo_port = (uint16_t)n;
		return 1;
	}
	if ((v = match(t, "net.mac="))) {
		uint8_t mac[ETH_ALEN];

		for (int i = 0; i < ETH_ALEN; i++) {
			int hi, lo;

			if (i && *v++ != ':')
				return -1;
			hi = hexval(v[0]);
			lo = hi < 0 ? -1 : hexval(v[1]);
			if (lo < 0)
				return -1;
			mac[i] = (uint8_t)(hi << 4 | lo);
			v += 2;
		}
		if (!at_end(v) || (mac[0] & 1))  /* multicast MAC is not a host */
			return -1;
		net_memcpy(cfg->mac, mac, ETH_ALEN);
		return 1;
	}
	return -1;
}

int net_config_parse_cmdline(struct net_config *cfg, const char *p)
{
	int bad = 0;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (net_config_parse(cfg, p) < 0)
			bad++;
		while (!at_end(p))
			p++;
	}
	return bad;
}
