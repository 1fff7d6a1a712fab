/*
 * bcache.c - the buffer cache (bcache.h): a hash table finds a block's
 * buffer, a recency list picks the one to reuse.
 *
 * A buffer is free to reuse when nobody holds it (refs == 0) and it is not
 * part of the open transaction (logged == 0); the least recently used such
 * buffer is taken. Logged buffers are the transaction's only copy of its
 * changes until the commit, which is why they must stay.
 */
#include "bcache.h"
#include "errors.h"
#include "fs_format.h"
#include "str.h"

#define BCACHE_BUCKETS 256u

static struct buf bcache_bufs[BCACHE_MAX_NBUF];
static struct buf *bcache_hash[BCACHE_BUCKETS];
static struct buf bcache_list;              /* head of the recency list */
static const struct fs_bdev *bcache_device;

static unsigned bcache_bucket(uint32_t block)
{
	return block % BCACHE_BUCKETS;
}

static void bcache_unlink(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

/* Put b at the head of the recency list (most recently used). */
static void bcache_touch(struct buf *b)
{
	bcache_unlink(b);
	b->next = bcache_list.next;
	b->prev = &bcache_list;
	bcache_list.next->prev = b;
	bcache_list.next = b;
}

static void bcache_unhash(struct buf *b)
{
	struct buf **p = &bcache_hash[bcache_bucket(b->block)];

	while (*p && *p != b)
		p = &(*p)->hash_next;
	if (*p)
		*p = b->hash_next;
}

void bcache_init(const struct fs_bdev *dev)
{
	unsigned i, n = dev->cache_blocks < BCACHE_MAX_NBUF ? dev->cache_blocks : BCACHE_MAX_NBUF;

	bcache_device = dev;
	memset(bcache_hash, 0, sizeof(bcache_hash));
	bcache_list.next = bcache_list.prev = &bcache_list;
	for (i = 0; i < n; i++) {
		struct buf *b = &bcache_bufs[i];

		*b = (struct buf){ .block = ~0u, .data = dev->cache + (size_t)i * FS_BSIZE };
		b->next = bcache_list.next;
		b->prev = &bcache_list;
		bcache_list.next->prev = b;
		bcache_list.next = b;
	}
}

const struct fs_bdev *bcache_dev(void)
{
	return bcache_device;
}

/* The buffer of block, held (refs + 1): the cached one, or the least
 * recently used free one, renamed and marked invalid. */
static int bcache_get(uint32_t block, struct buf **bp)
{
	struct buf *b;

	if (block >= bcache_device->nblocks)
		return ERR_RANGE;
	for (b = bcache_hash[bcache_bucket(block)]; b; b = b->hash_next)
		if (b->block == block)
			goto found;
	for (b = bcache_list.prev; b != &bcache_list; b = b->prev)
		if (b->refs == 0 && !b->logged)
			break;
	if (b == &bcache_list)
		return ERR_NO_MEMORY;
	if (b->block != ~0u)
		bcache_unhash(b);
	b->block = block;
	b->valid = 0;
	b->hash_next = bcache_hash[bcache_bucket(block)];
	bcache_hash[bcache_bucket(block)] = b;
found:
	b->refs++;
	bcache_touch(b);
	*bp = b;
	return ERR_OK;
}

int buf_read(uint32_t block, struct buf **bp)
{
	int err = bcache_get(block, bp);

	if (err != ERR_OK || (*bp)->valid)
		return err;
	err = bcache_device->read(bcache_device->ctx, block, (*bp)->data);
	if (err != ERR_OK) {
		buf_put(*bp);
		return err;
	}
	(*bp)->valid = 1;
	return ERR_OK;
}

int buf_fresh(uint32_t block, struct buf **bp)
{
	int err = bcache_get(block, bp);

	if (err == ERR_OK) {
		memset((*bp)->data, 0, FS_BSIZE);
		(*bp)->valid = 1;
	}
	return err;
}

void buf_put(struct buf *b)
{
	b->refs--;
}

int buf_write_to(const struct buf *b, uint32_t where)
{
	return bcache_device->write(bcache_device->ctx, where, b->data);
}

void buf_invalidate(struct buf *b)
{
	b->valid = 0;
}
