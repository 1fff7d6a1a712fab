/*
 * virtio.c - the virtio-mmio transport and a split virtqueue (virtio.h).
 *
 * The device and the driver share the rings in memory, so the order in
 * which their words become visible matters: a chain's descriptors must be
 * written before its entry in the available ring, that entry before the
 * ring's index, and the index before the doorbell; the device's used
 * entries are read only after its index. virtio_fence() is the barrier
 * between each pair.
 */
#include "virtio.h"
#include "errors.h"
#include "printf.h"
#include "str.h"

/* A reset is synchronous in QEMU; a device that never finishes one is broken. */
#define VIRTIO_RESET_TRIES 1000000u

static inline void virtio_fence(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

static inline uint32_t virtio_read(struct virtio_dev *dev, unsigned reg)
{
	return dev->regs[reg / 4];
}

static inline void virtio_write(struct virtio_dev *dev, unsigned reg, uint32_t value)
{
	dev->regs[reg / 4] = value;
}

int virtio_reset(struct virtio_dev *dev, volatile void *regs, uint32_t device_id)
{
	unsigned tries;

	*dev = (struct virtio_dev){ .regs = regs };
	if (virtio_read(dev, VIRTIO_MMIO_MAGIC) != VIRTIO_MAGIC_VALUE ||
	    virtio_read(dev, VIRTIO_MMIO_DEVICE_ID) != device_id)
		return ERR_NOT_FOUND;
	if (virtio_read(dev, VIRTIO_MMIO_VERSION) != 2)
		return ERR_NOT_IMPLEMENTED;
	/* Writing 0 resets the device; it is done once status reads 0. A
	 * device reset this way has finished (or dropped) every request it
	 * held, so no DMA of an earlier driver's can land after this. */
	virtio_write(dev, VIRTIO_MMIO_STATUS, 0);
	for (tries = 0; tries < VIRTIO_RESET_TRIES; tries++)
		if (virtio_read(dev, VIRTIO_MMIO_STATUS) == 0)
			return ERR_OK;
	return ERR_IO;
}

/* Features are read and written 32 bits at a time, chosen by a selector. */
static uint64_t virtio_device_features(struct virtio_dev *dev)
{
	uint64_t low, high;

	virtio_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	low = virtio_read(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	virtio_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	high = virtio_read(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	return high << 32 | low;
}

static void virtio_driver_features(struct virtio_dev *dev, uint64_t features)
{
	virtio_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	virtio_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	virtio_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	virtio_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
}

static void virtio_write64(struct virtio_dev *dev, unsigned low_reg, uint64_t value)
{
	virtio_write(dev, low_reg, (uint32_t)value);
	virtio_write(dev, low_reg + 4, (uint32_t)(value >> 32));
}

/* Queue 0 in the page at pa: VIRTQ_SIZE entries, every descriptor free. */
static int virtio_setup_queue(struct virtio_dev *dev, uint64_t pa)
{
	virtio_write(dev, VIRTIO_MMIO_QUEUE_SEL, 0);
	if (virtio_read(dev, VIRTIO_MMIO_QUEUE_READY) != 0)
		return ERR_IN_USE;
	if (virtio_read(dev, VIRTIO_MMIO_QUEUE_NUM_MAX) < VIRTQ_SIZE)
		return ERR_NOT_IMPLEMENTED;
	virtio_write(dev, VIRTIO_MMIO_QUEUE_NUM, VIRTQ_SIZE);
	virtio_write64(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, pa);
	virtio_write64(dev, VIRTIO_MMIO_QUEUE_DRIVER_LOW, pa + VIRTQ_AVAIL_OFFSET);
	virtio_write64(dev, VIRTIO_MMIO_QUEUE_DEVICE_LOW, pa + VIRTQ_USED_OFFSET);
	virtio_write(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	return ERR_OK;
}

int virtio_start(struct virtio_dev *dev, uint64_t wanted, void *page, uint64_t pa)
{
	uint32_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	int err = ERR_OK;

	_Static_assert(sizeof(struct virtq_desc) * VIRTQ_SIZE == VIRTQ_AVAIL_OFFSET &&
		       VIRTQ_AVAIL_OFFSET + sizeof(struct virtq_avail) + 2 <= VIRTQ_USED_OFFSET &&
		       VIRTQ_USED_OFFSET + sizeof(struct virtq_used) + 2 <= VIRTQ_PAGE_USED &&
		       VIRTQ_PAGE_USED <= 4096, "the queue fits its page");
	memset(page, 0, VIRTQ_PAGE_USED);
	dev->desc = page;
	dev->avail = (struct virtq_avail *)((uint8_t *)page + VIRTQ_AVAIL_OFFSET);
	dev->used = (struct virtq_used *)((uint8_t *)page + VIRTQ_USED_OFFSET);
	virtio_write(dev, VIRTIO_MMIO_STATUS, status);
	dev->features = virtio_device_features(dev) & (wanted | 1ul << VIRTIO_F_VERSION_1);
	if (!(dev->features & 1ul << VIRTIO_F_VERSION_1))
		err = ERR_NOT_IMPLEMENTED;
	if (err == ERR_OK) {
		/* The device may refuse the set: FEATURES_OK must stick. */
		virtio_driver_features(dev, dev->features);
		status |= VIRTIO_STATUS_FEATURES_OK;
		virtio_write(dev, VIRTIO_MMIO_STATUS, status);
		if (!(virtio_read(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
			err = ERR_NOT_IMPLEMENTED;
	}
	if (err == ERR_OK)
		err = virtio_setup_queue(dev, pa);
	if (err != ERR_OK) {
		virtio_write(dev, VIRTIO_MMIO_STATUS, status | VIRTIO_STATUS_FAILED);
		return err;
	}
	virtio_write(dev, VIRTIO_MMIO_STATUS, status | VIRTIO_STATUS_DRIVER_OK);
	return ERR_OK;
}

uint32_t virtio_config32(struct virtio_dev *dev, unsigned at)
{
	return virtio_read(dev, VIRTIO_MMIO_CONFIG + at);
}

uint64_t virtio_config64(struct virtio_dev *dev, unsigned at)
{
	uint32_t generation;
	uint64_t value;

	/* The device may change its configuration between the two halves:
	 * the generation counter says so, and then we read again. */
	do {
		generation = virtio_read(dev, VIRTIO_MMIO_CONFIG_GENERATION);
		value = (uint64_t)virtio_config32(dev, at + 4) << 32 | virtio_config32(dev, at);
	} while (virtio_read(dev, VIRTIO_MMIO_CONFIG_GENERATION) != generation);
	return value;
}

void virtq_submit(struct virtio_dev *dev, uint16_t head)
{
	/* LAB 7 BEGIN: put head in the available ring, publish the ring's new index, ring the doorbell, each step visible before the next */
	dev->avail->ring[dev->avail_idx % VIRTQ_SIZE] = head;
	virtio_fence();                 /* the chain and its entry, then the index */
	dev->avail->idx = ++dev->avail_idx;
	virtio_fence();                 /* the index, then the doorbell */
	virtio_write(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	/* LAB 7 STUB: (void)dev; (void)head; */
	/* LAB 7 STUB: printf("lab 7: virtq_submit not implemented\n"); */
	/* LAB 7 END */
}

int virtq_next_used(struct virtio_dev *dev)
{
	/* LAB 7 BEGIN: the head of the next chain the device has used, or -1 if it has used no more since the last call */
	/* LAB 7 HINT: the device writes the used ring's entries, then its idx; used_seen counts the entries already taken */
	uint32_t id;

	if (*(volatile uint16_t *)&dev->used->idx == dev->used_seen)
		return -1;
	virtio_fence();                 /* the index, then the entry it covers */
	id = dev->used->ring[dev->used_seen % VIRTQ_SIZE].id;
	dev->used_seen++;
	return (int)(id % VIRTQ_SIZE);
	/* LAB 7 STUB: (void)dev; */
	/* LAB 7 STUB: printf("lab 7: virtq_next_used not implemented\n"); */
	/* LAB 7 STUB: return -1; */
	/* LAB 7 END */
}

uint32_t virtio_take_interrupt(struct virtio_dev *dev)
{
	uint32_t reasons = virtio_read(dev, VIRTIO_MMIO_INTERRUPT_STATUS);

	virtio_write(dev, VIRTIO_MMIO_INTERRUPT_ACK, reasons);
	return reasons;
}
