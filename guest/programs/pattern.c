/*
 * pattern: fill memory (and optionally the disk) with content that is a pure
 * function of (seed, region, epoch, block, word), so the Java side can check
 * any snapshot, migrated copy or disk image byte-exactly; optionally keep
 * rewriting blocks round-robin at a fixed rate; verify on request.
 *
 *   word i of 4 KiB block b of region r (0 = memory, 1 = disk) at epoch e =
 *     mix(seed ^ (r << 62) ^ (e << 40) ^ (b << 9) ^ i)
 *   after K rewrites of a region with n blocks, block b has epoch
 *     K / n + (b < K % n ? 1 : 0)
 *
 * Memory region: n = mem_mib * 256 blocks at JTS_WORK_BASE (64 MiB); the page
 * below it (JTS_PATTERN_MEM_HDR) holds a header like the disk's, with K_mem
 * (written once the first pass is complete, K updated after every block).
 * Disk region: blocks 1..n of the disk (block b at byte (b + 1) * 4096);
 * block 0 = header "JTSPAT01", u64 seed, u64 nblocks, u64 K_disk.
 * pattern.timers=SPEED (decimals allowed; 0 = off) adds the idle desktop's
 * timer-driven reads (like prog=idle, periods divided by SPEED): every second
 * a few blocks in two of eight hot clusters, every minute all clusters and a
 * random 256 KiB run, each block checked as it is read. pattern.spots=K (0 =
 * anywhere) draws that minute's run from K fixed places only, so the working
 * set stops growing once all K were read, as an idle VM's does (§3.3: faults
 * come in bursts and grow rarer). So the pattern region
 * is touched the way an idle VM touches memory (what microsleeps are made of)
 * and every remote fault's content is verified on the spot:
 *   JTS:PATTERN T60 n=<bursts> reads=<blocks read> read_bad=<bad bytes seen>
 * All work here runs in user mode (natively under PVM).
 */
#include "ulib.h"
#include "programs.h"
#include "../drivers/virtio_blk.h"

#define BLOCK 4096u
#define WORDS 512u
#define DISK_CHUNK_BLOCKS 64u         /* 256 KiB per disk transfer */

static inline uint64_t mix(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t block_key(uint64_t seed, uint64_t r, uint64_t e, uint64_t b)
{
	return seed ^ (r << 62) ^ (e << 40) ^ (b << 9);
}

static void fill_block(uint64_t *dst, uint64_t seed, uint64_t r, uint64_t e, uint64_t b)
{
	uint64_t k = block_key(seed, r, e, b);
	for (uint64_t i = 0; i < WORDS; i++)
		dst[i] = mix(k ^ i);
}

static uint64_t bad_bytes(uint64_t got, uint64_t want)
{
	uint64_t x = got ^ want, n = 0;
	for (int i = 0; i < 8; i++, x >>= 8)
		n += (x & 0xFF) != 0;
	return n;
}

static uint64_t check_block(const uint64_t *src, uint64_t seed, uint64_t r, uint64_t e, uint64_t b)
{
	uint64_t k = block_key(seed, r, e, b), bad = 0;
	for (uint64_t i = 0; i < WORDS; i++) {
		uint64_t want = mix(k ^ i);
		if (src[i] != want)
			bad += bad_bytes(src[i], want);
	}
	return bad;
}

static uint64_t epoch_of(uint64_t b, uint64_t k, uint64_t n)
{
	return k / n + (b < k % n ? 1 : 0);
}

struct region {
	uint64_t n;        /* blocks */
	uint64_t k;        /* rewrites so far */
	uint64_t due;      /* rewrites owed, in millionths of a block */
};

static uint64_t seed, rate, timers;
static struct region mem, disk;
static uint8_t *mem_base;
static struct vblk blk;
static int have_disk;
static uint8_t *dbuf;                 /* DISK_CHUNK_BLOCKS blocks, DMA-able */

static void write_header(uint8_t *h, uint64_t n, uint64_t k)
{
	memset(h, 0, BLOCK);
	memcpy(h, "JTSPAT01", 8);
	((uint64_t *)h)[1] = seed;
	((uint64_t *)h)[2] = n;
	((uint64_t *)h)[3] = k;
}

static void mem_header(void)
{
	if (mem.n == 0)
		return;                   /* no region: the header page may not be RAM */
	write_header((uint8_t *)JTS_PATTERN_MEM_HDR, mem.n, mem.k);
}

static int disk_header(void)
{
	write_header(dbuf, disk.n, disk.k);
	if (vblk_write(&blk, 0, dbuf, BLOCK) || vblk_flush(&blk)) {
		printf("JTS:PATTERN ERROR disk header write failed\n");
		return -1;
	}
	return 0;
}

/* write blocks [b, b + c) of the disk at epoch e (no wrap inside) */
static int disk_write_run(uint64_t b, uint64_t c, uint64_t e)
{
	while (c) {
		uint64_t m = c > DISK_CHUNK_BLOCKS ? DISK_CHUNK_BLOCKS : c;
		for (uint64_t j = 0; j < m; j++)
			fill_block((uint64_t *)(dbuf + j * BLOCK), seed, 1, e, b + j);
		if (vblk_write(&blk, (b + 1) * 8, dbuf, m * BLOCK)) {
			printf("JTS:PATTERN ERROR disk write failed at block %lu\n", b);
			return -1;
		}
		b += m;
		c -= m;
	}
	return 0;
}

/* K in the memory header follows every block, so a snapshot of guest memory
 * taken at any instant is consistent except for block K % n, which may be
 * half-rewritten (torn) */
static void mem_rewrite(uint64_t count)
{
	volatile uint64_t *hdr_k = (volatile uint64_t *)(JTS_PATTERN_MEM_HDR + 24);
	for (uint64_t j = 0; j < count; j++) {
		uint64_t b = mem.k % mem.n;
		fill_block((uint64_t *)(mem_base + b * BLOCK), seed, 0, mem.k / mem.n + 1, b);
		barrier();
		*hdr_k = ++mem.k;
	}
}

static void disk_rewrite(uint64_t count)
{
	while (count) {
		uint64_t b = disk.k % disk.n;
		uint64_t c = disk.n - b;                 /* up to the wrap */
		if (c > count)
			c = count;
		if (c > DISK_CHUNK_BLOCKS)
			c = DISK_CHUNK_BLOCKS;
		if (disk_write_run(b, c, disk.k / disk.n + 1))
			return;
		disk.k += c;
		count -= c;
		if (disk.k % disk.n == 0)
			disk_header();            /* a pass is complete */
	}
}

/* ---- idle-desktop timer reads (pattern.timers) ---- */
#define HOT_CLUSTERS 8u
#define HOT_BLOCKS 16u
#define RUN_BLOCKS 64u                /* 256 KiB */

#define MAX_SPOTS 64u

static uint64_t rng, hot[HOT_CLUSTERS], reads, read_bad, t60_count, nspots, spots[MAX_SPOTS];

static uint64_t next_rand(void)
{
	rng = mix(rng);
	return rng;
}

static void read_check(uint64_t b)
{
	b %= mem.n;
	read_bad += check_block((const uint64_t *)(mem_base + b * BLOCK), seed, 0, epoch_of(b, mem.k, mem.n), b);
	reads++;
}

static void burst_small(void)
{
	for (int c = 0; c < 2; c++) {
		uint64_t base = hot[next_rand() % HOT_CLUSTERS], off = next_rand() % (HOT_BLOCKS - 4);
		for (uint64_t j = 0; j < 4; j++)
			read_check(base + off + j);
	}
}

static void burst_large(void)
{
	for (uint64_t c = 0; c < HOT_CLUSTERS; c++)
		for (uint64_t j = 0; j < HOT_BLOCKS; j++)
			read_check(hot[c] + j);
	uint64_t start = nspots ? spots[next_rand() % nspots] : next_rand() % mem.n;
	for (uint64_t j = 0; j < RUN_BLOCKS; j++)
		read_check(start + j);
	t60_count++;
	printf("JTS:PATTERN T60 n=%lu reads=%lu read_bad=%lu\n", t60_count, reads, read_bad);
}

static void next_deadline(uint64_t *next, uint64_t period, uint64_t now)
{
	*next += period;
	if (*next <= now)
		*next = now + period;
}

static void verify(void)
{
	uint64_t mem_bad = 0, disk_bad = 0;
	for (uint64_t b = 0; b < mem.n; b++)
		mem_bad += check_block((const uint64_t *)(mem_base + b * BLOCK), seed, 0,
				       epoch_of(b, mem.k, mem.n), b);
	if (have_disk) {
		uint8_t want[64];
		disk_header();
		if (vblk_read(&blk, 0, dbuf, BLOCK)) {
			disk_bad += BLOCK;
		} else {
			write_header(dbuf + BLOCK, disk.n, disk.k);  /* expected, in the 2nd block */
			memcpy(want, dbuf + BLOCK, sizeof want);
			for (uint32_t i = 0; i < BLOCK; i++)
				disk_bad += dbuf[i] != (i < sizeof want ? want[i] : 0);
		}
		for (uint64_t b = 0; b < disk.n; b += DISK_CHUNK_BLOCKS) {
			uint64_t m = disk.n - b > DISK_CHUNK_BLOCKS ? DISK_CHUNK_BLOCKS : disk.n - b;
			if (vblk_read(&blk, (b + 1) * 8, dbuf, m * BLOCK)) {
				disk_bad += m * BLOCK;
				continue;
			}
			for (uint64_t j = 0; j < m; j++)
				disk_bad += check_block((const uint64_t *)(dbuf + j * BLOCK), seed, 1,
							epoch_of(b + j, disk.k, disk.n), b + j);
		}
	}
	printf("JTS:PATTERN VERIFY mem_bad=%lu disk_bad=%lu mem_k=%lu disk_k=%lu result=%s\n",
	       mem_bad, disk_bad, mem.k, disk.k, mem_bad || disk_bad ? "FAIL" : "ok");
}

static void finish(void)
{
	mem_header();
	if (have_disk)
		disk_header();
	printf("JTS:PATTERN DONE mem_k=%lu disk_k=%lu\n", mem.k, disk.k);
}

int prog_pattern(void)
{
	uint64_t mem_mib = arg_u64("pattern.mem_mib", 16);
	uint64_t disk_mib = arg_u64("pattern.disk_mib", 0);
	seed = arg_u64("pattern.seed", 1);
	rate = arg_u64("pattern.rate", 0);
	timers = arg_milli("pattern.timers", 0);

	uint64_t room = g_boot.low_ram_end > JTS_WORK_BASE ? (g_boot.low_ram_end - JTS_WORK_BASE) >> 20 : 0;
	if (mem_mib > room) {
		printf("JTS:WARN pattern.mem_mib=%lu does not fit below 0x%lx, using %lu\n",
		       mem_mib, g_boot.low_ram_end, room);
		mem_mib = room;
	}
	mem_base = (uint8_t *)JTS_WORK_BASE;
	mem.n = mem_mib * (1024 * 1024 / BLOCK);

	dbuf = palloc(DISK_CHUNK_BLOCKS * BLOCK, 4096);
	if (disk_mib) {
		if (vblk_init(&blk)) {
			printf("JTS:WARN pattern.disk_mib=%lu but no virtio disk, memory only\n", disk_mib);
			disk_mib = 0;
		} else {
			uint64_t max = blk.capacity / 8;             /* 4 KiB blocks on the disk */
			uint64_t fit = max > 1 ? (max - 1) / 256 : 0;   /* MiB after the header */
			if (disk_mib > fit) {
				printf("JTS:WARN pattern.disk_mib=%lu exceeds the disk (%lu sectors), using %lu\n",
				       disk_mib, blk.capacity, fit);
				disk_mib = fit;
			}
			have_disk = disk_mib > 0;
		}
	}
	disk.n = disk_mib * (1024 * 1024 / BLOCK);

	/* first pass: everything at epoch 0. The memory header only gets its
	 * magic once the pass is complete. */
	if (mem.n)
		memset((void *)JTS_PATTERN_MEM_HDR, 0, BLOCK);
	uint64_t t0 = now_ms();
	for (uint64_t b = 0; b < mem.n; b++)
		fill_block((uint64_t *)(mem_base + b * BLOCK), seed, 0, 0, b);
	mem_header();
	if (have_disk) {
		disk_write_run(0, disk.n, 0);
		disk_header();
	}
	uint64_t ms = now_ms() - t0;
	printf("JTS:PATTERN WROTE mem_mib=%lu disk_mib=%lu seed=%lu\n", mem_mib, disk_mib, seed);
	printf("JTS:PATTERN TIMING first_pass_ms=%lu\n", ms);

	uint64_t tick_us = 10000;
	uint64_t last = now_us(), next_report = last + 1000000;
	/* timer reads: periods in TSC cycles, speed in thousandths; ~0 = never */
	uint64_t t1 = 0, n1 = ~0ull, n60 = ~0ull;
	if (timers && mem.n) {
		rng = seed ^ 0x5EEDull;
		for (uint64_t c = 0; c < HOT_CLUSTERS; c++)
			hot[c] = next_rand() % mem.n;
		nspots = arg_u64("pattern.spots", 0);
		if (nspots > MAX_SPOTS) {
			printf("JTS:WARN pattern.spots=%lu, using %u\n", nspots, MAX_SPOTS);
			nspots = MAX_SPOTS;
		}
		for (uint64_t i = 0; i < nspots; i++)
			spots[i] = next_rand() % mem.n;
		t1 = us_to_tsc(1000000ull * 1000 / timers);
		n1 = rdtsc() + t1;
		n60 = rdtsc() + 60 * t1;
	}
	for (;;) {
		char line[128];
		long len;
		while ((len = sys_readline(line, sizeof line - 1)) > 0) {
			line[len] = 0;
			if (!strcmp(line, "verify"))
				verify();
			else if (!strcmp(line, "status"))
				printf("JTS:PATTERN EPOCH mem_k=%lu disk_k=%lu\n", mem.k, disk.k);
			else if (!strcmp(line, "halt") || !strcmp(line, "reboot")) {
				finish();
				common_command(line);
			} else if (!common_command(line))
				printf("JTS:WARN unknown command %s\n", line);
		}
		uint64_t now = now_us();
		if (rate && (mem.n || disk.n)) {
			/* owed rewrites accumulate with time, at most one second's worth:
			 * after a long pause (e.g. migration) we don't burst to catch up */
			uint64_t add = rate * (now - last), cap = rate * 1000000;
			mem.due = mem.due + add > cap ? cap : mem.due + add;
			disk.due = disk.due + add > cap ? cap : disk.due + add;
			if (mem.n && mem.due >= 1000000) {
				mem_rewrite(mem.due / 1000000);
				mem.due %= 1000000;
			}
			if (have_disk && disk.due >= 1000000) {
				disk_rewrite(disk.due / 1000000);
				disk.due %= 1000000;
			}
			if (now >= next_report) {
				printf("JTS:PATTERN EPOCH mem_k=%lu disk_k=%lu\n", mem.k, disk.k);
				if (have_disk)
					disk_header();
				next_report += 1000000;
				if (next_report <= now)
					next_report = now + 1000000;
			}
		}
		last = now;
		uint64_t tsc = rdtsc();
		if (tsc >= n1) {
			burst_small();
			next_deadline(&n1, t1, tsc);
		}
		if (tsc >= n60) {
			burst_large();
			next_deadline(&n60, 60 * t1, tsc);
		}
		uint64_t dl = rate ? tsc + us_to_tsc(tick_us) : ~0ull;
		if (n1 < dl)
			dl = n1;
		if (n60 < dl)
			dl = n60;
		wait_until(dl, WAIT_CONSOLE);
	}
}
