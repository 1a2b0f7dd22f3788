/* RFC 1071 Internet checksum, shared by IPv4, ICMP and TCP. */
#include "net_internal.h"

/*
 * Sums big-endian 16-bit words byte-wise, so the result is the same on any
 * host. Only the last chunk of a checksummed run may have an odd length
 * (the missing byte counts as zero).
 */
uint32_t csum_add(uint32_t sum, const uint8_t *data, uint32_t len)
{
	while (len > 1) {
		sum += (uint32_t)((data[0] << 8) | data[1]);
		data += 2;
		len -= 2;
		/* fold early so even a 64 KiB run cannot overflow 32 bits */
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len)
		sum += (uint32_t)data[0] << 8;
	return sum;
}

/* Folds carries and complements: the value to put in a header, or 0 when
 * verifying a run that includes its own checksum field. */
uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
