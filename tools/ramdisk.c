/*
 * ramdisk.c - a block device in host memory (ramdisk.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcache.h"
#include "errors.h"
#include "fs_format.h"
#include "ramdisk.h"

static int ramdisk_read(void *ctx, uint32_t block, void *data)
{
	struct ramdisk *rd = ctx;

	if (block >= rd->nblocks || rd->fail_reads)
		return ERR_IO;
	rd->reads++;
	memcpy(data, rd->image + (size_t)block * FS_BSIZE, FS_BSIZE);
	return ERR_OK;
}

static int ramdisk_write(void *ctx, uint32_t block, const void *data)
{
	struct ramdisk *rd = ctx;
	size_t bytes = FS_BSIZE;

	if (block >= rd->nblocks)
		return ERR_IO;
	rd->writes++;
	if (rd->writes_left == 0)
		return ERR_OK;             /* the power is off: the write is lost */
	if (rd->writes_left > 0 && --rd->writes_left == 0)
		bytes = (size_t)rd->torn_sectors * FS_SECTOR_SIZE;
	memcpy(rd->image + (size_t)block * FS_BSIZE, data, bytes);
	return ERR_OK;
}

static int ramdisk_flush(void *ctx)
{
	((struct ramdisk *)ctx)->flushes++;
	return ERR_OK;
}

/* The buffer cache's memory: one file system is mounted at a time. */
static uint8_t ramdisk_cache[BCACHE_MAX_NBUF][FS_BSIZE] __attribute__((aligned(FS_BSIZE)));

static void ramdisk_wire(struct ramdisk *rd)
{
	rd->writes_left = -1;
	rd->torn_sectors = 0;
	rd->fail_reads = 0;
	rd->reads = rd->writes = rd->flushes = 0;
	rd->bdev = (struct fs_bdev){ .ctx = rd, .nblocks = rd->nblocks, .read = ramdisk_read,
				     .write = ramdisk_write, .flush = ramdisk_flush,
				     .cache = ramdisk_cache[0], .cache_blocks = BCACHE_MAX_NBUF };
}

int ramdisk_create(struct ramdisk *rd, uint32_t nblocks)
{
	rd->image = calloc(nblocks, FS_BSIZE);
	rd->nblocks = nblocks;
	ramdisk_wire(rd);
	return rd->image ? ERR_OK : ERR_NO_MEMORY;
}

int ramdisk_load(struct ramdisk *rd, const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	int err = ERR_NOT_FOUND;

	rd->image = NULL;
	if (!f)
		return ERR_NOT_FOUND;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (err = ramdisk_create(rd, (uint32_t)(size / FS_BSIZE))) == ERR_OK &&
	    fread(rd->image, FS_BSIZE, rd->nblocks, f) != rd->nblocks) {
		ramdisk_destroy(rd);
		err = ERR_NOT_FOUND;
	}
	fclose(f);
	return err;
}

int ramdisk_save(const struct ramdisk *rd, const char *path)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(rd->image, FS_BSIZE, rd->nblocks, f) == rd->nblocks;

	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? ERR_OK : ERR_IO;
}

void ramdisk_destroy(struct ramdisk *rd)
{
	free(rd->image);
	rd->image = NULL;
}
