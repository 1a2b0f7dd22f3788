/* Bump allocator over the free memory the kernel reports, below the fixed
 * work area at JTS_WORK_BASE. Nothing is ever freed: drivers allocate their
 * rings and buffers once. */
#include "ulib.h"

static uint64_t next;

static uint64_t limit(void)
{
	uint64_t l = JTS_WORK_BASE - 0x1000;      /* keep the pattern header page free */
	return g_boot.low_ram_end < l ? g_boot.low_ram_end : l;
}

uint64_t palloc_avail(size_t align)
{
	if (!next)
		next = g_boot.free_start;
	uint64_t p = (next + align - 1) & ~(uint64_t)(align - 1);
	return p < limit() ? limit() - p : 0;
}

void *palloc(size_t size, size_t align)
{
	if (!next)
		next = g_boot.free_start;
	if (align < 16)
		align = 16;
	uint64_t p = (next + align - 1) & ~(uint64_t)(align - 1);
	if (p + size > limit()) {
		printf("JTS:PANIC user allocator exhausted (want %lu bytes at 0x%lx)\n", (uint64_t)size, p);
		sys_exit(JTS_EXIT_PANIC);
	}
	next = p + size;
	memset((void *)p, 0, size);
	return (void *)p;
}
