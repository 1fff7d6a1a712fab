/*
 * bdev.h - the one thing the file system knows about its disk: a block
 * device of FS_BSIZE-byte blocks behind three functions.
 *
 * The same fs code runs over a RAM image on the host (tools/ramdisk.c: mkfs,
 * fsck's replay, the unit tests) and over the blk driver in the guest
 * (user/fs/blkdev.c). A write has reached the device when write returns;
 * flush returns once every write before it is on stable storage. Each
 * returns an error code (errors.h): ERR_IO when the device failed. The
 * device's owner also says how much memory caches it (cache, below).
 */
#ifndef MICA_FS_BDEV_H
#define MICA_FS_BDEV_H

#include <stdint.h>

struct fs_bdev {
	void *ctx;                 /* the device's own state, passed to each call */
	uint32_t nblocks;          /* blocks 0..nblocks-1 exist */
	/* The memory the buffer cache may use for this device: cache_blocks
	 * page-aligned blocks at cache (at most BCACHE_MAX_NBUF are used). */
	uint8_t *cache;
	unsigned cache_blocks;
	int (*read)(void *ctx, uint32_t block, void *data);
	int (*write)(void *ctx, uint32_t block, const void *data);
	int (*flush)(void *ctx);
};

#endif /* MICA_FS_BDEV_H */
