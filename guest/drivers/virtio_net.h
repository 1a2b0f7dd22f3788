#ifndef JTS_VIRTIO_NET_H
#define JTS_VIRTIO_NET_H
#include <stdint.h>
#include "virtio.h"

#define VNET_HDR_LEN 10          /* legacy virtio_net_hdr, no mergeable buffers */
#define VNET_BUF_LEN 2048        /* header + up to 1514-byte frame, with room */

struct vnet {
	struct virtio_dev dev;
	struct virtq rx, tx;
	uint8_t mac[6];
	uint8_t *rxbufs, *txbufs;    /* size * VNET_BUF_LEN each */
	uint32_t rx_refill;          /* buffers handed back since the last kick */
	uint64_t rx_frames, tx_frames, tx_full;
};

int vnet_init(struct vnet *n);
/* send one Ethernet frame (copied); 0 = queued, -1 = no room or too big */
int vnet_send(struct vnet *n, const uint8_t *frame, uint32_t len);
/* call fn for every received frame, then recycle the buffers; returns count */
int vnet_poll(struct vnet *n, void (*fn)(const uint8_t *frame, uint32_t len));
#endif
