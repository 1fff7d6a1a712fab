/*
 * ramdisk.h - a block device (user/fs/bdev.h) in host memory, for the host
 * tools (mkfs, fsck) and the file system's unit tests.
 *
 * A ramdisk is an image of nblocks FS_BSIZE-byte blocks in one allocation.
 * For the crash tests it can stop taking writes after a number of them
 * (the power is cut: later writes are dropped), and fail I/O on demand.
 */
#ifndef MICA_RAMDISK_H
#define MICA_RAMDISK_H

#include <stdint.h>

#include "bdev.h"

struct ramdisk {
	uint8_t *image;
	uint32_t nblocks;
	long writes_left;           /* < 0: unlimited; writes after it reaches 0 are lost */
	unsigned torn_sectors;      /* of the write that hits 0: how many sectors land */
	int fail_reads;             /* nonzero: every read fails with ERR_IO */
	unsigned long reads, writes, flushes;
	struct fs_bdev bdev;        /* the device to hand the fs */
};

/* Make a zeroed ramdisk of nblocks blocks: ERR_NO_MEMORY if it cannot. */
int ramdisk_create(struct ramdisk *rd, uint32_t nblocks);
/* Read a whole image file into a new ramdisk (its size rounded down to
 * whole blocks). ERR_NOT_FOUND if the file cannot be read. */
int ramdisk_load(struct ramdisk *rd, const char *path);
/* Write the image to a file. ERR_IO if it cannot be written. */
int ramdisk_save(const struct ramdisk *rd, const char *path);
void ramdisk_destroy(struct ramdisk *rd);

#endif /* MICA_RAMDISK_H */
