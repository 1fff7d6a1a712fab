/*
 * blkdev.h - the fs's block device in the guest: a struct fs_bdev over the
 * block driver (lib/blk_proto.h), moving each block through a buffer of
 * frames shared with the driver.
 *
 * blkdev_init() connects; the device it fills in is then handed to
 * fsops_mount(). A request the driver fails is sent again (the driver
 * client already resends what a dying driver cancelled). For the crash and
 * restart tests, blkdev_inject() arms one of two faults (FS_INJECT): the
 * power cut after a number of writes, or a fault of the driver itself
 * just before a given request.
 */
#ifndef MICA_FS_BLKDEV_H
#define MICA_FS_BLKDEV_H

#include <stdint.h>

#include "bdev.h"
#include "blk_proto.h"

#define BLKDEV_PAGES   16u     /* the shared buffer: 64 KiB */
#define BLKDEV_RETRIES 3u      /* times a failed request is sent again */

struct blkdev {
	struct blk_client blk;
	cptr_t frames[BLKDEV_PAGES];
	struct fs_bdev bdev;
	unsigned long requests, retries, writes;
	/* Armed faults (0: none). */
	unsigned long cut_after;           /* writes until the power cut */
	unsigned torn_sectors;             /* of the last write before it */
	unsigned long kill_after;          /* requests until the driver is made to fault */
	unsigned kill_kind;                /* enum server_fault */
};

/* Connect to the driver at ep with the buffer (frames, mapped at buf),
 * and make the device: cache_blocks blocks of cache memory at cache. */
int blkdev_init(struct blkdev *d, cptr_t ep, uint8_t *buf, const cptr_t *frames, uint8_t *cache,
		unsigned cache_blocks);

/* Arm what FS_INJECT asks for (fs_proto.h: enum fs_fault); after 0 arms
 * nothing. */
int blkdev_inject(struct blkdev *d, unsigned fault, uint64_t after, uint64_t arg);

#endif /* MICA_FS_BLKDEV_H */
