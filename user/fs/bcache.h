/*
 * bcache.h - the buffer cache: the only path between the file system and
 * its block device (bdev.h), holding as many blocks as the device gave it
 * memory for.
 *
 * Rules: every buf_read()/buf_fresh() is paired with one buf_put(); a
 * buffer's data stays valid, and its block stays in memory, only between
 * the two. Changes to data reach the disk only through the log
 * (log_write()): the cache itself never writes a block back on its own, so
 * an unlogged change is lost when the buffer is reused. The fs is one
 * thread: there are no locks.
 */
#ifndef MICA_FS_BCACHE_H
#define MICA_FS_BCACHE_H

#include <stdint.h>

#include "bdev.h"

/* At most this many buffers (2 MiB of blocks): the device says how many
 * it gives memory for (struct fs_bdev's cache). */
#define BCACHE_MAX_NBUF 512u

struct buf {
	uint32_t block;            /* which disk block data holds */
	uint8_t valid;             /* data holds the block (else: to be read) */
	uint8_t logged;            /* in the open transaction: kept until it commits */
	uint16_t refs;             /* buf_read()s not yet buf_put() */
	struct buf *hash_next;     /* the chain of its hash bucket */
	struct buf *prev, *next;   /* the recency list: most recently used first */
	uint8_t *data;             /* FS_BSIZE bytes */
};

/* Forget every buffer and serve dev from now on, in the memory dev names.
 * The cache must hold more blocks than one transaction changes. */
void bcache_init(const struct fs_bdev *dev);
/* The device the cache serves. */
const struct fs_bdev *bcache_dev(void);
/* A buffer holding block's contents, read from the device if need be.
 * ERR_RANGE for a block past the device's end, ERR_NO_MEMORY if every
 * buffer is held, the device's error if the read failed. */
int buf_read(uint32_t block, struct buf **bp);
/* A buffer for block filled with zeros, without reading the device: for a
 * block about to be overwritten whole. Errors as for buf_read(). */
int buf_fresh(uint32_t block, struct buf **bp);
void buf_put(struct buf *b);
/* Write b's data to disk block `where` (its own block, or a log block). */
int buf_write_to(const struct buf *b, uint32_t where);
/* Make b's contents invalid, so the next buf_read() reads the disk again:
 * how an aborted transaction's changes are dropped. */
void buf_invalidate(struct buf *b);

#endif /* MICA_FS_BCACHE_H */
