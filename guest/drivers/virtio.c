#include "ulib.h"
#include "virtio.h"

int virtio_find(uint16_t device_id, int nth)
{
	for (uint32_t i = 0; i < g_boot.ndev; i++) {
		const struct jts_pci_dev *p = &g_boot.dev[i];
		if (p->vendor == 0x1AF4 && p->device == device_id && p->io && nth-- == 0)
			return (int)i;
	}
	return -1;
}

int virtio_begin(struct virtio_dev *d, int idx)
{
	d->idx = idx;
	d->io = g_boot.dev[idx].io;
	out8(d->io + VIRTIO_STATUS, 0);                         /* reset */
	out8(d->io + VIRTIO_STATUS, VIRTIO_STATUS_ACK);
	out8(d->io + VIRTIO_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	d->host_features = in32(d->io + VIRTIO_HOST_FEATURES);
	return 0;
}

void virtio_set_features(struct virtio_dev *d, uint32_t features)
{
	out32(d->io + VIRTIO_GUEST_FEATURES, features & d->host_features);
}

int virtq_setup(struct virtio_dev *d, struct virtq *q, uint16_t index)
{
	out16(d->io + VIRTIO_QUEUE_SEL, index);
	uint16_t size = in16(d->io + VIRTIO_QUEUE_SIZE);
	if (size == 0 || (size & (size - 1)))
		return -1;
	/* legacy layout: descriptors, avail ring, pad to 4096, used ring */
	size_t avail_end = 16u * size + 6u + 2u * size;
	size_t used_off = (avail_end + 4095) & ~(size_t)4095;
	size_t total = used_off + ((6u + 8u * size + 4095) & ~(size_t)4095);
	uint8_t *mem = palloc(total, 4096);
	q->io = d->io;
	q->index = index;
	q->size = size;
	q->desc = (struct vring_desc *)mem;
	q->avail = (struct vring_avail *)(mem + 16u * size);
	q->used = (volatile struct vring_used *)(mem + used_off);
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->free_head = 0;
	q->num_free = size;
	q->last_used = 0;
	out32(d->io + VIRTIO_QUEUE_PFN, (uint32_t)((uint64_t)mem >> 12));
	return 0;
}

void virtio_driver_ok(struct virtio_dev *d)
{
	out8(d->io + VIRTIO_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_OK);
}

void virtio_fail(struct virtio_dev *d)
{
	out8(d->io + VIRTIO_STATUS, VIRTIO_STATUS_FAILED);
}

uint8_t virtio_cfg8(struct virtio_dev *d, uint32_t off) { return in8(d->io + VIRTIO_CONFIG + off); }
uint32_t virtio_cfg32(struct virtio_dev *d, uint32_t off) { return in32(d->io + VIRTIO_CONFIG + off); }

int virtq_add(struct virtq *q, const struct vbuf *bufs, int n)
{
	if (n <= 0 || q->num_free < n)
		return -1;
	uint16_t head = q->free_head, i = head, last = head;
	for (int k = 0; k < n; k++) {
		struct vring_desc *dsc = &q->desc[i];
		dsc->addr = (uint64_t)bufs[k].addr;
		dsc->len = bufs[k].len;
		dsc->flags = (uint16_t)((bufs[k].device_writes ? VRING_DESC_F_WRITE : 0) |
					(k + 1 < n ? VRING_DESC_F_NEXT : 0));
		last = i;
		i = dsc->next;
	}
	q->free_head = q->desc[last].next;
	q->num_free = (uint16_t)(q->num_free - n);
	q->avail->ring[q->avail->idx & (q->size - 1)] = head;
	barrier();                         /* ring entry before the index (x86-TSO) */
	q->avail->idx++;
	return head;
}

void virtq_kick(struct virtq *q)
{
	mb();
	out16(q->io + VIRTIO_QUEUE_NOTIFY, q->index);
}

int virtq_get_used(struct virtq *q, uint32_t *len)
{
	if (q->last_used == q->used->idx)
		return -1;
	barrier();
	const volatile struct vring_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
	uint16_t head = (uint16_t)e->id;
	if (len)
		*len = e->len;
	q->last_used++;
	/* return the chain to the free list */
	uint16_t i = head, n = 1;
	while (q->desc[i].flags & VRING_DESC_F_NEXT) {
		i = q->desc[i].next;
		n++;
	}
	q->desc[i].next = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + n);
	return head;
}

void virtio_wait(struct virtio_dev *d, uint64_t timeout_us)
{
	wait_until(rdtsc() + us_to_tsc(timeout_us), WAIT_DEV(d->idx));
}
