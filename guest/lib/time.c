/* Time from the TSC, read natively in user mode. */
#include "ulib.h"

uint64_t g_tsc_khz;
static uint64_t tsc0;

void time_init(void)
{
	g_tsc_khz = sys_tsc_khz();
	if (!g_tsc_khz)
		g_tsc_khz = 1;
	tsc0 = rdtsc();
}

/* (a * b) / c without 128-bit arithmetic (no libgcc): exact while
 * (c - 1) * b fits in 64 bits, true for the magnitudes used here */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	return (a / c) * b + ((a % c) * b) / c;
}

uint64_t now_us(void) { return muldiv(rdtsc() - tsc0, 1000, g_tsc_khz); }
uint64_t now_ms(void) { return (rdtsc() - tsc0) / g_tsc_khz; }
uint64_t us_to_tsc(uint64_t us) { return muldiv(us, g_tsc_khz, 1000); }

uint32_t wait_until(uint64_t deadline_tsc, uint32_t mask)
{
	return sys_wait(deadline_tsc, mask);
}
