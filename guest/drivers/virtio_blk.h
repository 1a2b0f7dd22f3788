#ifndef JTS_VIRTIO_BLK_H
#define JTS_VIRTIO_BLK_H
#include <stdint.h>
#include "virtio.h"

struct vblk_req;

struct vblk {
	struct virtio_dev dev;
	struct virtq vq;
	uint64_t capacity;          /* in 512-byte sectors */
	int has_flush;
	struct vblk_req *reqs;      /* one per possible in-flight request */
	uint32_t nreqs;
	uint64_t errors;
};

/* find and start the first virtio block device; 0 on success, -1 if none */
int vblk_init(struct vblk *b);
/* synchronous I/O of len bytes (a multiple of 512) at sector; buf must be
 * physically contiguous (palloc or the work area). Large transfers are split
 * and kept in flight together. 0 = ok, -1 = error. */
int vblk_read(struct vblk *b, uint64_t sector, void *buf, uint64_t len);
int vblk_write(struct vblk *b, uint64_t sector, const void *buf, uint64_t len);
int vblk_flush(struct vblk *b);
#endif
