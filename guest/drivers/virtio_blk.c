/* virtio-blk, legacy, one queue; the data path runs entirely in user mode. */
#include "ulib.h"
#include "virtio_blk.h"

#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define REQ_MAX_BYTES      (256u * 1024)  /* per request: one data descriptor */

struct vblk_req {
	uint32_t type, reserved;
	uint64_t sector;
	uint8_t status;
	uint8_t busy;
	uint8_t pad[6];
};

int vblk_init(struct vblk *b)
{
	int idx = virtio_find(0x1001, 0);
	if (idx < 0)
		return -1;
	virtio_begin(&b->dev, idx);
	b->has_flush = (b->dev.host_features >> VIRTIO_BLK_F_FLUSH) & 1;
	virtio_set_features(&b->dev, b->has_flush ? 1u << VIRTIO_BLK_F_FLUSH : 0);
	if (virtq_setup(&b->dev, &b->vq, 0)) {
		virtio_fail(&b->dev);
		return -1;
	}
	b->capacity = virtio_cfg32(&b->dev, 0) | (uint64_t)virtio_cfg32(&b->dev, 4) << 32;
	b->nreqs = b->vq.size / 3;
	b->reqs = palloc(b->nreqs * sizeof(struct vblk_req), 64);
	virtio_driver_ok(&b->dev);
	return 0;
}

/* reap completions; returns the number of failed requests among them */
static int reap(struct vblk *b, uint32_t *inflight)
{
	int bad = 0, head;
	while ((head = virtq_get_used(&b->vq, 0)) >= 0) {
		/* the header descriptor's address identifies the request */
		struct vblk_req *r = (struct vblk_req *)b->vq.desc[head].addr;
		if (r->status != 0)
			bad++;
		r->busy = 0;
		(*inflight)--;
	}
	return bad;
}

static struct vblk_req *free_req(struct vblk *b)
{
	for (uint32_t i = 0; i < b->nreqs; i++)
		if (!b->reqs[i].busy)
			return &b->reqs[i];
	return 0;
}

static int transfer(struct vblk *b, uint32_t type, uint64_t sector, uint8_t *buf, uint64_t len)
{
	uint32_t inflight = 0;
	int bad = 0;
	if (type != VIRTIO_BLK_T_FLUSH && (len % 512 || sector + len / 512 > b->capacity))
		return -1;
	do {
		struct vblk_req *r;
		while (!(r = free_req(b)) || b->vq.num_free < 3) {
			virtq_kick(&b->vq);
			bad += reap(b, &inflight);
			if (!(r = free_req(b)) || b->vq.num_free < 3)
				virtio_wait(&b->dev, 10000);
		}
		uint32_t n = len > REQ_MAX_BYTES ? REQ_MAX_BYTES : (uint32_t)len;
		r->type = type;
		r->reserved = 0;
		r->sector = sector;
		r->status = 0xFF;
		r->busy = 1;
		struct vbuf v[3];
		int nb = 0;
		v[nb++] = (struct vbuf){ r, 16, 0 };
		if (type != VIRTIO_BLK_T_FLUSH)
			v[nb++] = (struct vbuf){ buf, n, type == VIRTIO_BLK_T_IN };
		v[nb++] = (struct vbuf){ &r->status, 1, 1 };
		virtq_add(&b->vq, v, nb);
		inflight++;
		sector += n / 512;
		buf += n;
		len -= n;
	} while (len);
	virtq_kick(&b->vq);
	for (;;) {
		bad += reap(b, &inflight);
		if (!inflight)
			break;
		virtio_wait(&b->dev, 10000);
	}
	if (bad) {
		b->errors += (uint64_t)bad;
		return -1;
	}
	return 0;
}

int vblk_read(struct vblk *b, uint64_t sector, void *buf, uint64_t len)
{
	return transfer(b, VIRTIO_BLK_T_IN, sector, buf, len);
}

int vblk_write(struct vblk *b, uint64_t sector, const void *buf, uint64_t len)
{
	return transfer(b, VIRTIO_BLK_T_OUT, sector, (uint8_t *)buf, len);
}

int vblk_flush(struct vblk *b)
{
	if (!b->has_flush)
		return 0;
	return transfer(b, VIRTIO_BLK_T_FLUSH, 0, 0, 0);
}
