/*
 * log.c - the write-ahead log (log.h), in the layout of fs_format.h.
 *
 * A commit writes each changed block into the log area, flushes, and then
 * writes the header that lists their home blocks: the header is one
 * sector, so the disk holds either the old header or the new one, never a
 * mix. Only then are the blocks written home and the header cleared. A
 * crash before the header write leaves the old state (the log is ignored);
 * after it, recovery (log_replay) writes the logged blocks home again,
 * which is harmless if they had already landed.
 */
#include "log.h"
#include "errors.h"
#include "printf.h"
#include "str.h"

static struct {
	uint32_t start;                    /* the header block */
	unsigned capacity;                 /* data blocks a transaction may use */
	struct buf *bufs[FS_LOGSIZE];      /* the open transaction's blocks */
	unsigned n;
	int open;
	int broken;                        /* a commit failed after its header write */
	unsigned long commits;
} log_state;

/* Write the header naming n blocks (their homes in homes[]) and flush. */
static int log_write_header(unsigned n, const uint32_t *homes)
{
	static uint8_t block[FS_BSIZE] __attribute__((aligned(8)));
	struct fs_logheader *h = (struct fs_logheader *)block;
	const struct fs_bdev *dev = bcache_dev();
	int err;

	memset(block, 0, sizeof(block));
	h->n = n;
	if (n)
		memcpy(h->block, homes, n * sizeof(uint32_t));
	err = dev->write(dev->ctx, log_state.start, block);
	return err == ERR_OK ? dev->flush(dev->ctx) : err;
}

/* Install a committed transaction found in the header after a crash. */
static int log_replay(const struct fs_superblock *sb)
{
	/* LAB 8 BEGIN: recovery: if the header names n blocks, copy each logged block home, flush, then clear the header */
	/* LAB 8 HINT: a header that names more blocks than the log holds, or a home outside inodestart..size, is a damaged disk (ERR_BAD_FORMAT), never a crash */
	static uint32_t homes[FS_LOGSIZE];
	struct fs_logheader *h;
	struct buf *hb, *lb, *home;
	unsigned i, n;
	int err = buf_read(log_state.start, &hb);

	if (err != ERR_OK)
		return err;
	h = (struct fs_logheader *)hb->data;
	n = h->n;
	if (n > log_state.capacity) {
		buf_put(hb);
		return ERR_BAD_FORMAT;
	}
	memcpy(homes, h->block, n * sizeof(uint32_t));
	buf_put(hb);
	buf_invalidate(hb);
	for (i = 0; i < n; i++)
		if (homes[i] < sb->inodestart || homes[i] >= sb->size)
			return ERR_BAD_FORMAT;
	for (i = 0; i < n; i++) {
		if ((err = buf_read(log_state.start + 1 + i, &lb)) != ERR_OK)
			return err;
		err = buf_fresh(homes[i], &home);
		if (err == ERR_OK) {
			memcpy(home->data, lb->data, FS_BSIZE);
			err = buf_write_to(home, homes[i]);
			buf_put(home);
		}
		buf_put(lb);
		buf_invalidate(lb);
		if (err != ERR_OK)
			return err;
	}
	if (n == 0)
		return ERR_OK;
	err = bcache_dev()->flush(bcache_dev()->ctx);
	return err == ERR_OK ? log_write_header(0, homes) : err;
	/* LAB 8 STUB: (void)sb; (void)log_write_header; */
	/* LAB 8 STUB: printf("lab 8: log_replay not implemented (a committed transaction is not recovered)\n"); */
	/* LAB 8 STUB: return ERR_OK; */
	/* LAB 8 END */
}

int log_init(const struct fs_superblock *sb)
{
	log_state.start = sb->logstart;
	log_state.capacity = sb->nlog - 1 < FS_LOGSIZE ? sb->nlog - 1 : FS_LOGSIZE;
	log_state.n = 0;
	log_state.open = 0;
	log_state.broken = 0;
	return log_replay(sb);
}

int log_begin(void)
{
	if (log_state.broken)
		return ERR_IO;
	log_state.open = 1;
	log_state.n = 0;
	return ERR_OK;
}

int log_write(struct buf *b)
{
	if (b->logged)
		return ERR_OK;             /* already in: written once, at commit */
	if (!log_state.open || log_state.n >= log_state.capacity)
		return ERR_NO_SPACE;
	b->logged = 1;
	b->refs++;                     /* the transaction holds it until the end */
	log_state.bufs[log_state.n++] = b;
	return ERR_OK;
}

/* End the transaction: release its buffers; drop their contents too if
 * they must be read from the disk again (an abort). */
static void log_release(int drop)
{
	unsigned i;

	for (i = 0; i < log_state.n; i++) {
		struct buf *b = log_state.bufs[i];

		b->logged = 0;
		if (drop)
			buf_invalidate(b);
		buf_put(b);
	}
	log_state.n = 0;
	log_state.open = 0;
}

void log_abort(void)
{
	log_release(1);
}

int log_commit(void)
{
	/* LAB 8 BEGIN: commit: the blocks into the log, flush, the header (the commit point), the blocks home, flush, the header cleared */
	/* LAB 8 HINT: a failure before the header write is an abort (log_abort); after it, the cache is right but the disk may not be: set broken */
	static uint32_t homes[FS_LOGSIZE];
	const struct fs_bdev *dev = bcache_dev();
	unsigned i, n = log_state.n;
	int err = ERR_OK;

	if (n == 0) {
		log_release(0);
		return ERR_OK;
	}
	for (i = 0; i < n && err == ERR_OK; i++) {
		homes[i] = log_state.bufs[i]->block;
		err = buf_write_to(log_state.bufs[i], log_state.start + 1 + i);
	}
	if (err == ERR_OK)
		err = dev->flush(dev->ctx);
	if (err != ERR_OK) {           /* nothing is committed: as if aborted */
		log_abort();
		return err;
	}
	err = log_write_header(n, homes);          /* the commit point */
	for (i = 0; i < n && err == ERR_OK; i++)
		err = buf_write_to(log_state.bufs[i], homes[i]);
	if (err == ERR_OK)
		err = dev->flush(dev->ctx);
	if (err == ERR_OK)
		err = log_write_header(0, homes);
	/* The cache holds the committed state whatever happened: keep it. But
	 * after a failure the disk may hold a header the next transaction's log
	 * writes would contradict, so nothing more may be written. */
	log_state.broken = err != ERR_OK;
	log_release(0);
	log_state.commits++;
	return err;
	/* LAB 8 STUB: static int said; */
	/* LAB 8 STUB: const struct fs_bdev *dev = bcache_dev(); */
	/* LAB 8 STUB: unsigned i; */
	/* LAB 8 STUB: int err = ERR_OK; */
	/* LAB 8 STUB: if (!said++) */
	/* LAB 8 STUB: 	printf("lab 8: log_commit not implemented (blocks go home without the log: not crash safe)\n"); */
	/* LAB 8 STUB: for (i = 0; i < log_state.n && err == ERR_OK; i++) */
	/* LAB 8 STUB: 	err = buf_write_to(log_state.bufs[i], log_state.bufs[i]->block); */
	/* LAB 8 STUB: if (err == ERR_OK) */
	/* LAB 8 STUB: 	err = dev->flush(dev->ctx); */
	/* LAB 8 STUB: log_release(0); */
	/* LAB 8 STUB: log_state.commits++; */
	/* LAB 8 STUB: return err; */
	/* LAB 8 END */
}

unsigned log_capacity(void)
{
	return log_state.capacity;
}

unsigned long log_commits(void)
{
	return log_state.commits;
}
