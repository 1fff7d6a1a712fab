/*
 * virtio.h - the virtio-mmio transport (version 2, "modern") and one split
 * virtqueue, as the block driver uses them (virtio 1.1 §2.6, §4.2).
 *
 * virtio.c owns the device's registers and the queue's rings: it resets
 * and starts the device, hands descriptor chains to it and takes back the
 * ones it has finished. It knows nothing of what the buffers mean (blk.c
 * does). The queue lives in one page the caller supplies with its
 * physical address; the caller may use the page from VIRTQ_PAGE_USED on,
 * and must never touch a descriptor of a chain between virtq_submit() and
 * the virtq_next_used() that returns it.
 */
#ifndef MICA_BLK_VIRTIO_H
#define MICA_BLK_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

/* Registers (byte offsets; each is 32 bits wide). */
#define VIRTIO_MMIO_MAGIC            0x000   /* "virt" */
#define VIRTIO_MMIO_VERSION          0x004   /* 2 for the modern interface */
#define VIRTIO_MMIO_DEVICE_ID        0x008   /* 2: block device; 0: empty slot */
#define VIRTIO_MMIO_DEVICE_FEATURES  0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES  0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL        0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX    0x034
#define VIRTIO_MMIO_QUEUE_NUM        0x038
#define VIRTIO_MMIO_QUEUE_READY      0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY     0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK    0x064
#define VIRTIO_MMIO_STATUS           0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW   0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH  0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090   /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0   /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG           0x100   /* the device's own configuration */

#define VIRTIO_MAGIC_VALUE 0x74726976u

/* Device status bits, set in this order as initialisation goes on. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER      2u
#define VIRTIO_STATUS_DRIVER_OK   4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED      128u

#define VIRTIO_F_VERSION_1 32           /* feature bit: the modern interface */
#define VIRTIO_INT_USED_BUFFER 1u       /* interrupt status: a chain was used */

/* A split virtqueue's three parts (virtio 1.1 §2.6). */
struct virtq_desc {
	uint64_t addr;                  /* physical */
	uint32_t len;
	uint16_t flags;                 /* VIRTQ_DESC_F_* */
	uint16_t next;                  /* with VIRTQ_DESC_F_NEXT */
};
#define VIRTQ_DESC_F_NEXT  1u
#define VIRTQ_DESC_F_WRITE 2u           /* the device writes this buffer */

#define VIRTQ_SIZE 128u                 /* descriptors in the queue */

struct virtq_avail {                    /* the driver's ring: chains to do */
	uint16_t flags;
	uint16_t idx;                   /* where the driver puts the next entry */
	uint16_t ring[VIRTQ_SIZE];      /* head descriptor of each chain */
};

struct virtq_used_elem {
	uint32_t id;                    /* head descriptor of a finished chain */
	uint32_t len;                   /* bytes the device wrote */
};

struct virtq_used {                     /* the device's ring: chains done */
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
};

/* The queue's page: the descriptors (16-byte aligned), the available
 * ring (2), the used ring (4), each with the 2-byte event word after it
 * that the spec reserves; then the caller's part, 16-byte aligned. */
#define VIRTQ_AVAIL_OFFSET (VIRTQ_SIZE * 16u)
#define VIRTQ_USED_OFFSET  ((VIRTQ_AVAIL_OFFSET + 4u + 2u * VIRTQ_SIZE + 2u + 3u) & ~3u)
#define VIRTQ_PAGE_USED    ((VIRTQ_USED_OFFSET + 4u + 8u * VIRTQ_SIZE + 2u + 15u) & ~15u)

/* One device with its one queue (queue 0). */
struct virtio_dev {
	volatile uint32_t *regs;        /* the mapped register page */
	struct virtq_desc *desc;        /* VIRTQ_SIZE descriptors... */
	struct virtq_avail *avail;      /* ...and both rings, in the queue's page */
	struct virtq_used *used;
	uint16_t avail_idx;             /* our copy of avail->idx */
	uint16_t used_seen;             /* used entries taken so far */
	uint64_t features;              /* what was negotiated */
};

/* Check the registers at regs are a version-2 virtio device of `device_id`
 * and reset it: after this the device touches no memory until
 * virtio_start(). ERR_NOT_FOUND for an empty slot or another device,
 * ERR_NOT_IMPLEMENTED for a legacy (version 1) one, ERR_IO if the reset
 * never completes. */
int virtio_reset(struct virtio_dev *dev, volatile void *regs, uint32_t device_id);
/* Negotiate features (VIRTIO_F_VERSION_1 and those of `wanted` the device
 * offers), set up queue 0 in `page` (mapped here, at physical address pa;
 * zeroed first) and tell the device the driver is ready. Returns an error
 * code; on failure the device is marked FAILED. */
int virtio_start(struct virtio_dev *dev, uint64_t wanted, void *page, uint64_t pa);
/* 32 bits of the device's configuration space at byte offset `at`. */
uint32_t virtio_config32(struct virtio_dev *dev, unsigned at);
/* 64 bits at `at`, read consistently (the generation counter is checked). */
uint64_t virtio_config64(struct virtio_dev *dev, unsigned at);
/* Give the device the chain starting at descriptor head, and ring its
 * doorbell. */
void virtq_submit(struct virtio_dev *dev, uint16_t head);
/* The head of the next chain the device has finished, or -1 if none. */
int virtq_next_used(struct virtio_dev *dev);
/* Take the device's interrupt: acknowledge every reason it gives and
 * return them (VIRTIO_INT_*). */
uint32_t virtio_take_interrupt(struct virtio_dev *dev);

#endif /* MICA_BLK_VIRTIO_H */
