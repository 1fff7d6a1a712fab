/*
 * blkdev.c - the fs's block device over the block driver (blkdev.h).
 *
 * A block is 8 sectors; it is copied between the cache and the shared
 * buffer, which the device reads and writes by DMA. The power cut of the
 * crash tests is the fs itself stopping dead: it prints a line the test
 * harness waits for, which then kills QEMU; the disk then holds exactly
 * the writes before it (the last one cut to its first sectors), as after
 * a real power cut between two writes.
 */
#include "blkdev.h"
#include "errors.h"
#include "fs_format.h"
#include "fs_proto.h"
#include "ipc.h"
#include "printf.h"
#include "root_proto.h"
#include "str.h"
#include "sys.h"

#define SECTORS_PER_BLOCK (FS_BSIZE / BLK_SECTOR_SIZE)

/* The power is off: tell the harness and never run again. */
static void blkdev_power_off(void) __attribute__((noreturn));
static void blkdev_power_off(void)
{
	printf("fs: power cut (FS_INJECT): stopping dead\n");
	for (;;)
		yield();
}

/* Count a request; when the driver's armed fault is due, make it fault
 * (it never answers that call: ERR_CANCELLED when root restarts it). */
static void blkdev_count(struct blkdev *d)
{
	struct ipc_msg m = { .info = MSGINFO(SERVER_INJECT, 0, 2) };

	d->requests++;
	if (d->kill_after && --d->kill_after == 0) {
		m.mr[0] = BLK_PROTO_VERSION;
		m.mr[1] = d->kill_kind;
		ipc_call(d->blk.ep, &m);
	}
}

/* Send one request (again, if it fails, up to BLKDEV_RETRIES times). */
static int blkdev_io(struct blkdev *d, int write, uint32_t block, unsigned sectors)
{
	unsigned tries;
	int err = ERR_IO;

	for (tries = 0; tries <= BLKDEV_RETRIES; tries++) {
		blkdev_count(d);
		err = write ? blk_write(&d->blk, (uint64_t)block * SECTORS_PER_BLOCK, sectors, d->blk.buf)
			    : blk_read(&d->blk, (uint64_t)block * SECTORS_PER_BLOCK, sectors, d->blk.buf);
		if (err == ERR_OK || err == ERR_RANGE)
			break;
		d->retries++;
	}
	return err;
}

static int blkdev_read(void *ctx, uint32_t block, void *data)
{
	struct blkdev *d = ctx;
	int err = blkdev_io(d, 0, block, SECTORS_PER_BLOCK);

	if (err == ERR_OK)
		memcpy(data, d->blk.buf, FS_BSIZE);
	return err;
}

static int blkdev_write(void *ctx, uint32_t block, const void *data)
{
	struct blkdev *d = ctx;
	unsigned sectors = SECTORS_PER_BLOCK;
	int err = ERR_OK;

	d->writes++;
	if (d->cut_after && --d->cut_after == 0)
		sectors = d->torn_sectors;
	memcpy(d->blk.buf, data, FS_BSIZE);
	if (sectors)
		err = blkdev_io(d, 1, block, sectors);
	if (sectors != SECTORS_PER_BLOCK) {
		if (sectors)
			blk_flush(&d->blk);
		blkdev_power_off();
	}
	return err;
}

static int blkdev_flush(void *ctx)
{
	struct blkdev *d = ctx;
	unsigned tries;
	int err = ERR_IO;

	for (tries = 0; tries <= BLKDEV_RETRIES && err != ERR_OK; tries++) {
		blkdev_count(d);
		err = blk_flush(&d->blk);
	}
	return err;
}

int blkdev_init(struct blkdev *d, cptr_t ep, uint8_t *buf, const cptr_t *frames, uint8_t *cache,
		unsigned cache_blocks)
{
	int err;

	memcpy(d->frames, frames, sizeof(d->frames));
	err = blk_connect(&d->blk, ep, buf, d->frames, BLKDEV_PAGES);
	d->bdev = (struct fs_bdev){ .ctx = d, .read = blkdev_read, .write = blkdev_write,
				    .flush = blkdev_flush, .cache = cache, .cache_blocks = cache_blocks };
	if (err == ERR_OK) {
		uint64_t blocks = d->blk.capacity / SECTORS_PER_BLOCK;

		d->bdev.nblocks = blocks > UINT32_MAX ? UINT32_MAX : (uint32_t)blocks;
	}
	return err;
}

int blkdev_inject(struct blkdev *d, unsigned fault, uint64_t after, uint64_t arg)
{
	if (fault == FS_FAULT_POWER_CUT && after == 0)
		return arg == 0 ? ERR_OK : ERR_INVALID_ARGUMENT;
	if (after == 0)
		return ERR_INVALID_ARGUMENT;
	if (fault == FS_FAULT_POWER_CUT && arg < SECTORS_PER_BLOCK) {
		d->cut_after = after;
		d->torn_sectors = (unsigned)arg;
	} else if (fault == FS_FAULT_KILL_DRIVER && arg < FAULT_KINDS) {
		d->kill_after = after;
		d->kill_kind = (unsigned)arg;
	} else {
		return ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}
