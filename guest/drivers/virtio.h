/*
 * Legacy virtio-pci (virtio 0.9.5 / the transitional legacy interface) in
 * user mode: register access through the kernel's port syscalls, split
 * virtqueues in identity-mapped memory from palloc (pointer == guest-physical
 * address, as the device needs).
 */
#ifndef JTS_VIRTIO_H
#define JTS_VIRTIO_H
#include <stdint.h>

/* BAR0 registers */
#define VIRTIO_HOST_FEATURES  0x00
#define VIRTIO_GUEST_FEATURES 0x04
#define VIRTIO_QUEUE_PFN      0x08
#define VIRTIO_QUEUE_SIZE     0x0C
#define VIRTIO_QUEUE_SEL      0x0E
#define VIRTIO_QUEUE_NOTIFY   0x10
#define VIRTIO_STATUS         0x12
#define VIRTIO_ISR            0x13
#define VIRTIO_CONFIG         0x14

#define VIRTIO_STATUS_ACK     1
#define VIRTIO_STATUS_DRIVER  2
#define VIRTIO_STATUS_OK      4
#define VIRTIO_STATUS_FAILED  128

#define VRING_DESC_F_NEXT     1
#define VRING_DESC_F_WRITE    2

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vring_avail {
	uint16_t flags, idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id, len;
};

struct vring_used {
	uint16_t flags, idx;
	struct vring_used_elem ring[];
};

struct virtq {
	uint32_t io;
	uint16_t index, size;
	struct vring_desc *desc;
	struct vring_avail *avail;
	volatile struct vring_used *used;
	uint16_t free_head, num_free, last_used;
};

struct virtio_dev {
	int idx;            /* index in g_boot.dev[], also the SYS_WAIT event bit */
	uint32_t io;
	uint32_t host_features;
};

/* one buffer of a descriptor chain */
struct vbuf {
	const void *addr;
	uint32_t len;
	int device_writes;  /* 1 = device writes it (VRING_DESC_F_WRITE) */
};

/* the nth (0-based) legacy virtio device with this PCI device id, or -1 */
int virtio_find(uint16_t device_id, int nth);
/* reset and acknowledge; reads the host features */
int virtio_begin(struct virtio_dev *d, int idx);
void virtio_set_features(struct virtio_dev *d, uint32_t features);
/* queue memory is allocated here; returns 0 or -1 */
int virtq_setup(struct virtio_dev *d, struct virtq *q, uint16_t index);
void virtio_driver_ok(struct virtio_dev *d);
void virtio_fail(struct virtio_dev *d);
uint8_t virtio_cfg8(struct virtio_dev *d, uint32_t off);
uint32_t virtio_cfg32(struct virtio_dev *d, uint32_t off);

/* add a chain; returns its head descriptor id or -1 if the ring is full */
int virtq_add(struct virtq *q, const struct vbuf *bufs, int n);
/* tell the device (one syscall + one port write) */
void virtq_kick(struct virtq *q);
/* next completed chain: head id (its descriptors are freed) or -1 */
int virtq_get_used(struct virtq *q, uint32_t *len);
/* wait for an interrupt from the device or until timeout_us */
void virtio_wait(struct virtio_dev *d, uint64_t timeout_us);

#endif
