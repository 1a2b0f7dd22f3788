/*
 * idle: an idle desktop with always-on applications (mail, IM, ssh...), the
 * workload Jettison's partial migration is built for. After warming a region
 * of memory it wakes up on timers and touches a small, stable, spatially
 * clustered set of pages, dirtying a configurable amount per minute, and
 * now and then writes a disk block.
 *
 *   idle.warm_mib=N    memory written at start (default 64), at JTS_WORK_BASE
 *                      (below it, from the allocator, in guests too small for that)
 *   idle.dirty_kib=K   KiB dirtied per (scaled) minute (default 512)
 *   idle.disk_every=S  seconds between 4 KiB disk writes (default 120, 0 = never)
 *   idle.speed=X       multiplies all timer rates (X=60: a "minute" lasts 1 s)
 *   idle.seed=S        seed of the page choices (default 1)
 *
 * The 1 s timer touches runs of neighbouring pages inside a few of the hot
 * clusters; the 60 s timer reads a larger 1 MiB run and every cluster.
 * Lines: JTS:IDLE WARM mib=N ms=T, JTS:IDLE T1 n=.., JTS:IDLE T60 n=.. dirty_kib=..,
 * JTS:IDLE DISK n=.. block=.., JTS:IDLE STATUS ...
 */
#include "ulib.h"
#include "programs.h"
#include "../drivers/virtio_blk.h"

#define PAGE 4096u
#define NCLUSTERS 16
#define BIG_RUN_PAGES 256u            /* the 60 s burst reads 1 MiB */
#define DISK_AREA_BLOCKS 4096u         /* disk writes land in the first 16 MiB */

struct cluster { uint64_t first, pages; };

static uint8_t *warm;
static uint64_t warm_pages, rng;
static struct cluster clusters[NCLUSTERS];
static volatile uint64_t sink;
static uint64_t t1_count, t60_count, disk_count, dirty_pages, write_seq;
static uint64_t dirty_kib_per_min, dirty_acc;
static struct vblk blk;
static int have_disk;
static uint8_t *dbuf;

static uint64_t rnd(uint64_t n) { return n ? rng_next(&rng) % n : 0; }

static void read_page(uint64_t p)
{
	const volatile uint64_t *w = (const volatile uint64_t *)(warm + p * PAGE);
	uint64_t s = 0;
	for (unsigned i = 0; i < PAGE / 8; i += 8)     /* one word per cache line */
		s += w[i];
	sink += s;
}

static void write_page(uint64_t p)
{
	uint64_t *w = (uint64_t *)(warm + p * PAGE);
	write_seq++;
	for (unsigned i = 0; i < PAGE / 8; i += 8)
		w[i] = write_seq ^ (p << 20) ^ i;
	dirty_pages++;
}

static void warm_up(uint64_t mib)
{
	uint64_t t0 = now_ms();
	for (uint64_t p = 0; p < warm_pages; p++) {
		uint64_t *w = (uint64_t *)(warm + p * PAGE);
		for (unsigned i = 0; i < PAGE / 8; i++)
			w[i] = (p << 32) ^ i ^ 0x4A545349444C45ull;   /* non-zero: not a zero page */
	}
	printf("JTS:IDLE WARM mib=%lu ms=%lu\n", mib, now_ms() - t0);
}

static void pick_clusters(void)
{
	for (int c = 0; c < NCLUSTERS; c++) {
		uint64_t len = 8 + rnd(25);                  /* 8..32 pages */
		if (len > warm_pages)
			len = warm_pages;
		clusters[c].pages = len;
		clusters[c].first = rnd(warm_pages - len + 1);
	}
}

/* the 1 s timer: a few short runs inside hot clusters, dirtying this tick's
 * share of the per-minute budget (K/60 KiB, whole pages, remainder carried);
 * a budget larger than those runs continues in runs of neighbouring pages
 * elsewhere in the warm region */
static void burst_small(void)
{
	dirty_acc += dirty_kib_per_min;
	uint64_t to_dirty = dirty_acc / (60 * PAGE / 1024);
	dirty_acc -= to_dirty * (60 * PAGE / 1024);
	int runs = 2 + (int)rnd(3);
	for (int r = 0; r < runs || to_dirty; r++) {
		uint64_t first = 0, pages = warm_pages;
		if (r < runs) {
			const struct cluster *c = &clusters[rnd(NCLUSTERS)];
			first = c->first;
			pages = c->pages;
		}
		uint64_t len = 1 + rnd(8);
		if (len > pages)
			len = pages;
		uint64_t start = first + rnd(pages - len + 1);
		for (uint64_t p = start; p < start + len; p++) {
			read_page(p);
			if (to_dirty) {
				write_page(p);
				to_dirty--;
			}
		}
	}
}

/* the 60 s timer: every hot cluster plus a 1 MiB run somewhere */
static void burst_large(void)
{
	for (int i = 0; i < NCLUSTERS; i++)
		for (uint64_t p = clusters[i].first; p < clusters[i].first + clusters[i].pages; p++)
			read_page(p);
	uint64_t len = BIG_RUN_PAGES < warm_pages ? BIG_RUN_PAGES : warm_pages;
	uint64_t start = rnd(warm_pages - len + 1);
	for (uint64_t p = start; p < start + len; p++)
		read_page(p);
}

static void disk_write(void)
{
	uint64_t blocks = blk.capacity / 8;
	if (blocks > DISK_AREA_BLOCKS)
		blocks = DISK_AREA_BLOCKS;
	if (!blocks)
		return;
	uint64_t b = rnd(blocks);
	disk_count++;
	memset(dbuf, 0, PAGE);
	fmt_snprintf((char *)dbuf, PAGE, "JTSIDLE1 n=%lu block=%lu uptime_ms=%lu\n", disk_count, b, now_ms());
	if (vblk_write(&blk, b * 8, dbuf, PAGE) || vblk_flush(&blk))
		printf("JTS:IDLE ERROR disk write failed\n");
	printf("JTS:IDLE DISK n=%lu block=%lu\n", disk_count, b);
}

static void status(void)
{
	printf("JTS:IDLE STATUS t1=%lu t60=%lu dirty_kib=%lu disk_writes=%lu warm_mib=%lu uptime_ms=%lu\n",
	       t1_count, t60_count, dirty_pages * (PAGE / 1024), disk_count,
	       warm_pages * PAGE >> 20, sys_uptime_ms());
}

/* advance a periodic deadline; after a long stall (e.g. the VM was paused
 * for a migration) restart the period instead of firing a burst of catch-ups */
static void next_deadline(uint64_t *next, uint64_t period, uint64_t now)
{
	*next += period;
	if (*next <= now)
		*next = now + period;
}

int prog_idle(void)
{
	uint64_t mib = arg_u64("idle.warm_mib", 64);
	dirty_kib_per_min = arg_u64("idle.dirty_kib", 512);
	uint64_t disk_every = arg_u64("idle.disk_every", 120);
	uint64_t speed = arg_milli("idle.speed", 1000);
	rng = arg_u64("idle.seed", 1);
	if (speed == 0) {
		printf("JTS:WARN idle.speed=0, using 1\n");
		speed = 1000;
	}
	dbuf = palloc(PAGE, PAGE);
	have_disk = disk_every && !vblk_init(&blk);     /* before the warm region takes memory */
	uint64_t room = g_boot.low_ram_end > JTS_WORK_BASE ? (g_boot.low_ram_end - JTS_WORK_BASE) >> 20 : 0;
	if (mib == 0)
		mib = 1;                       /* the bursts need somewhere to land */
	if (mib <= room) {
		warm = (uint8_t *)JTS_WORK_BASE;
	} else {
		/* a small guest: take the region from below the work area instead */
		uint64_t below = palloc_avail(1 << 20) >> 20;
		uint64_t got = mib <= below ? mib : below > room ? below : room;
		if (got != mib)
			printf("JTS:WARN idle.warm_mib=%lu does not fit in RAM, using %lu\n", mib, got);
		mib = got;
		if (mib == 0) {
			printf("JTS:IDLE ERROR no memory for a warm region\n");
			return JTS_EXIT_FAIL;
		}
		warm = mib <= room ? (uint8_t *)JTS_WORK_BASE : palloc(mib << 20, 1 << 20);
	}
	warm_pages = mib * (1024 * 1024 / PAGE);

	warm_up(mib);
	pick_clusters();
	printf("JTS:IDLE READY speed_milli=%lu dirty_kib=%lu disk_every=%lu disk=%s\n",
	       speed, dirty_kib_per_min, disk_every, have_disk ? "yes" : "no");

	/* periods in TSC cycles; speed is in thousandths */
	uint64_t t1 = us_to_tsc(1000000ull * 1000 / speed);
	uint64_t t60 = t1 * 60, tdisk = t1 * (disk_every ? disk_every : 1);
	uint64_t now = rdtsc();
	uint64_t n1 = now + t1, n60 = now + t60, ndisk = now + tdisk;

	for (;;) {
		uint64_t dl = n1 < n60 ? n1 : n60;
		if (have_disk && ndisk < dl)
			dl = ndisk;
		uint32_t ev = wait_until(dl, WAIT_CONSOLE);
		if (ev & WAIT_CONSOLE) {
			char line[128];
			long len;
			while ((len = sys_readline(line, sizeof line - 1)) > 0) {
				line[len] = 0;
				if (!strcmp(line, "status"))
					status();
				else if (!common_command(line))
					printf("JTS:WARN unknown command %s\n", line);
			}
		}
		now = rdtsc();
		if (now >= n1) {
			burst_small();
			t1_count++;
			printf("JTS:IDLE T1 n=%lu\n", t1_count);
			next_deadline(&n1, t1, now);
		}
		if (now >= n60) {
			burst_large();
			t60_count++;
			printf("JTS:IDLE T60 n=%lu dirty_kib=%lu\n", t60_count, dirty_pages * (PAGE / 1024));
			next_deadline(&n60, t60, now);
		}
		if (have_disk && now >= ndisk) {
			disk_write();
			next_deadline(&ndisk, tdisk, now);
		}
	}
}
