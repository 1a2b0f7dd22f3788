/* virtio-net, legacy: queue 0 receive (pre-filled), queue 1 transmit; each
 * packet is preceded by the 10-byte virtio_net_hdr. Runs in user mode. */
#include "ulib.h"
#include "virtio_net.h"

#define VIRTIO_NET_F_MAC 5

static void rx_give(struct vnet *n, uint16_t id)
{
	struct vbuf v = { n->rxbufs + (uint32_t)id * VNET_BUF_LEN, VNET_BUF_LEN, 1 };
	virtq_add(&n->rx, &v, 1);
	n->rx_refill++;
}

int vnet_init(struct vnet *n)
{
	int idx = virtio_find(0x1000, 0);
	if (idx < 0)
		return -1;
	virtio_begin(&n->dev, idx);
	virtio_set_features(&n->dev, 1u << VIRTIO_NET_F_MAC);
	if (virtq_setup(&n->dev, &n->rx, 0) || virtq_setup(&n->dev, &n->tx, 1)) {
		virtio_fail(&n->dev);
		return -1;
	}
	for (int i = 0; i < 6; i++)
		n->mac[i] = (n->dev.host_features >> VIRTIO_NET_F_MAC) & 1 ? virtio_cfg8(&n->dev, (uint32_t)i) : 0;
	n->rxbufs = palloc((size_t)n->rx.size * VNET_BUF_LEN, 4096);
	n->txbufs = palloc((size_t)n->tx.size * VNET_BUF_LEN, 4096);
	/* single-descriptor chains: descriptor id i always carries buffer i,
	 * since the free list hands ids out in order until they recycle */
	for (uint16_t i = 0; i < n->rx.size; i++)
		rx_give(n, (uint16_t)n->rx.free_head);
	virtio_driver_ok(&n->dev);
	virtq_kick(&n->rx);
	n->rx_refill = 0;
	return 0;
}

int vnet_send(struct vnet *n, const uint8_t *frame, uint32_t len)
{
	if (len > VNET_BUF_LEN - VNET_HDR_LEN)
		return -1;
	while (virtq_get_used(&n->tx, 0) >= 0)
		;                                  /* reclaim sent buffers */
	if (n->tx.num_free == 0) {
		n->tx_full++;
		return -1;
	}
	uint16_t id = n->tx.free_head;
	uint8_t *b = n->txbufs + (uint32_t)id * VNET_BUF_LEN;
	memset(b, 0, VNET_HDR_LEN);
	memcpy(b + VNET_HDR_LEN, frame, len);
	struct vbuf v = { b, VNET_HDR_LEN + len, 0 };
	virtq_add(&n->tx, &v, 1);
	virtq_kick(&n->tx);
	n->tx_frames++;
	return 0;
}

int vnet_poll(struct vnet *n, void (*fn)(const uint8_t *frame, uint32_t len))
{
	int count = 0, id;
	uint32_t len;
	while ((id = virtq_get_used(&n->rx, &len)) >= 0) {
		/* the buffer is the descriptor's address: ids recycle out of order */
		uint8_t *b = (uint8_t *)n->rx.desc[id].addr;
		if (len > VNET_HDR_LEN && len <= VNET_BUF_LEN)
			fn(b + VNET_HDR_LEN, len - VNET_HDR_LEN);
		n->rx_frames++;
		count++;
		struct vbuf v = { b, VNET_BUF_LEN, 1 };
		virtq_add(&n->rx, &v, 1);
		n->rx_refill++;
	}
	if (n->rx_refill) {
		virtq_kick(&n->rx);
		n->rx_refill = 0;
	}
	return count;
}
