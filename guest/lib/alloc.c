/* Bump allocator over the free memory the kernel reports, below the fixed
 * work area at JTS_WORK_BASE. Nothing is ever freed: drivers allocate their
 * rings and buffers once. */
#include "ulib.h"

static uint64_t next;

void *palloc(size_t size, size_t align)
{
	if (!next)
		next = g_boot.free_start;
	if (align < 16)
		align = 16;
	uint64_t p = (next + align - 1) & ~(uint64_t)(align - 1);
	uint64_t limit = JTS_WORK_BASE - 0x1000;   /* keep the pattern header page free */
	if (p + size > limit || p + size > g_boot.low_ram_end) {
		printf("JTS:PANIC user allocator exhausted (want %lu bytes at 0x%lx)\n", (uint64_t)size, p);
		sys_exit(JTS_EXIT_PANIC);
	}
	next = p + size;
	memset((void *)p, 0, size);
	return (void *)p;
}
