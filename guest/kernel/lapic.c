/*
 * Local APIC and time: calibrate the TSC and the LAPIC timer against PIT
 * channel 2 (gated through port 0x61, polled through its OUT2 bit), then run
 * the LAPIC timer periodically at HZ on vector VEC_TIMER. User mode reads the
 * TSC natively and gets tsc_khz from SYS_TSC_KHZ.
 */
#include "kernel.h"
#include "x86.h"

#define LAPIC        0xFEE00000ull
#define LAPIC_ID     0x020
#define LAPIC_EOI    0x0B0
#define LAPIC_SVR    0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LINT0  0x350
#define LAPIC_LINT1  0x360
#define LAPIC_LVT_ERR 0x370
#define LAPIC_TICR   0x380
#define LAPIC_TCCR   0x390
#define LAPIC_TDCR   0x3E0
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)

#define PIT_HZ       1193182u
#define CAL_MS       50u
#define CAL_COUNT    (PIT_HZ * CAL_MS / 1000u)     /* 59659: fits the 16-bit counter */

uint32_t tsc_khz;
uint64_t tsc_boot;
static uint32_t lapic_timer_hz;                    /* at divide-by-16 */

static uint32_t lr(uint32_t reg) { return mmio_read32(LAPIC + reg); }
static void lw(uint32_t reg, uint32_t v) { mmio_write32(LAPIC + reg, v); }

void lapic_eoi(void) { lw(LAPIC_EOI, 0); }
uint32_t lapic_id(void) { return lr(LAPIC_ID) >> 24; }

void lapic_init(void)
{
	lw(LAPIC_SVR, 0x100 | VEC_SPURIOUS);         /* software enable */
	lw(LAPIC_LINT0, LVT_MASKED);                 /* no ExtINT from the 8259s */
	lw(LAPIC_LINT1, 0x400);                      /* NMI */
	lw(LAPIC_LVT_ERR, LVT_MASKED);
	lw(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lw(LAPIC_TDCR, 0x3);                         /* divide by 16 */
	lapic_eoi();
}

void timer_calibrate(void)
{
	/* gate on, speaker off; channel 2, lobyte/hibyte, mode 0 (OUT2 rises at 0) */
	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xB0);
	outb(0x42, CAL_COUNT & 0xFF);
	lw(LAPIC_TICR, 0xFFFFFFFF);
	outb(0x42, CAL_COUNT >> 8);                  /* counting starts here */
	uint64_t t0 = rdtsc();
	uint32_t c0 = lr(LAPIC_TCCR);
	uint64_t t1 = t0;
	int ok = 0;
	/* bounded by TSC cycles: ~2.5 s even at 4 GHz, in case there is no PIT */
	while ((t1 = rdtsc()) - t0 < 10000000000ull) {
		if (inb(0x61) & 0x20) {
			ok = 1;
			break;
		}
	}
	uint32_t c1 = lr(LAPIC_TCCR);
	lw(LAPIC_TICR, 0);
	if (!ok || t1 <= t0) {
		kprintf("JTS:WARN PIT calibration failed, assuming 1 GHz TSC and 62.5 MHz LAPIC timer\n");
		tsc_khz = 1000000;
		lapic_timer_hz = 62500000 / 16;
	} else {
		tsc_khz = (uint32_t)((t1 - t0) / CAL_MS);
		lapic_timer_hz = (uint32_t)((uint64_t)(c0 - c1) * (1000u / CAL_MS));
	}
	if (tsc_khz == 0)
		tsc_khz = 1;
	tsc_boot = rdtsc();
}

void timer_start(void)
{
	uint32_t init = lapic_timer_hz / HZ;
	if (init == 0)
		init = 1;
	lw(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lw(LAPIC_TICR, init);
}
