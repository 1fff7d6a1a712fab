/*
 * inode.c - inodes and their block maps (inode.h).
 *
 * A file block's disk address is found in one of three ways: directly in
 * the inode (the first FS_NDIRECT blocks), through the indirect block (the
 * next FS_NINDIRECT), or through the doubly indirect block, whose entries
 * name indirect blocks (the rest, up to FS_MAXFILE: 4 GiB). inode_bmap()
 * walks that map with a loop over the levels, never recursion, so a
 * damaged image cannot make it loop or dig deeper than two levels.
 */
#include "inode.h"
#include "bitmap.h"
#include "errors.h"
#include "log.h"
#include "printf.h"
#include "str.h"

static const struct fs_superblock *inode_sb;
static uint32_t inode_hint = 1;        /* inode_alloc searches from here */

void inode_init(const struct fs_superblock *sb)
{
	inode_sb = sb;
	inode_hint = 1;
}

int inode_get(uint32_t inum, struct inode *ip)
{
	struct fs_dinode *d;
	int err;

	if (inum == 0 || inum >= inode_sb->ninodes)
		return ERR_NOT_FOUND;
	if ((err = buf_read(fs_inode_block(inode_sb, inum), &ip->buf)) != ERR_OK)
		return err;
	d = (struct fs_dinode *)ip->buf->data + inum % FS_IPB;
	if (d->type >= FS_T_COUNT || d->size > FS_MAXBYTES ||
	    (d->type == FS_T_DIR && d->size > FS_MAXDIRSIZE)) {
		buf_put(ip->buf);
		return ERR_BAD_FORMAT;
	}
	ip->inum = inum;
	ip->d = d;
	return ERR_OK;
}

void inode_put(struct inode *ip)
{
	buf_put(ip->buf);
}

int inode_dirty(struct inode *ip)
{
	return log_write(ip->buf);
}

int inode_alloc(uint16_t type, struct inode *ip)
{
	uint32_t n = inode_sb->ninodes, i, inum;
	int err;

	for (i = 0; i < n - 1; i++) {
		inum = 1 + (inode_hint - 1 + i) % (n - 1);
		if ((err = inode_get(inum, ip)) == ERR_BAD_FORMAT)
			continue;              /* a damaged inode is never reused */
		if (err != ERR_OK)
			return err;
		if (ip->d->type == FS_T_FREE) {
			if ((err = inode_dirty(ip)) != ERR_OK) {
				inode_put(ip);
				return err;
			}
			memset(ip->d, 0, sizeof(*ip->d));
			ip->d->type = type;
			inode_hint = inum;
			return ERR_OK;
		}
		inode_put(ip);
	}
	return ERR_NO_INODES;
}

/* A data block for a hole being filled (*fresh = 1: its contents are
 * garbage, the caller zeroes them), or an indirect block (zeroed and
 * logged here). */
static int inode_new_block(int is_index, uint32_t *block, int *fresh)
{
	struct buf *b;
	int err = bitmap_alloc(block);

	if (err != ERR_OK || !is_index) {
		*fresh = 1;
		return err;
	}
	if ((err = buf_fresh(*block, &b)) != ERR_OK)
		return err;
	err = log_write(b);
	buf_put(b);
	return err;
}

/* Put in *out the disk block that holds file block fb of ip, 0 for a hole.
 * With alloc, holes on the way (indirect blocks, then the data block) are
 * filled and *fresh says whether the data block is new. */
static int inode_bmap(struct inode *ip, uint32_t fb, int alloc, uint32_t *out, int *fresh)
{
	uint32_t index[2], *slot, ptr;
	unsigned levels, level;
	struct buf *owner = ip->buf, *next;
	int err = ERR_OK;

	*fresh = 0;
	if (fb < FS_NDIRECT) {
		slot = &ip->d->addrs[fb];
		levels = 0;
	} else if ((fb -= FS_NDIRECT) < FS_NINDIRECT) {
		slot = &ip->d->addrs[FS_ADDR_IND];
		levels = 1;
		index[0] = fb;
	} else if ((fb -= FS_NINDIRECT) < FS_NINDIRECT * FS_NINDIRECT) {
		/* LAB 8 BEGIN: the doubly indirect block: its entry names an indirect block, whose entry names the data block */
		/* LAB 8 HINT: the loop below walks any number of levels: say where it starts, how many, and the index at each */
		slot = &ip->d->addrs[FS_ADDR_DIND];
		levels = 2;
		index[0] = fb / FS_NINDIRECT;
		index[1] = fb % FS_NINDIRECT;
		/* LAB 8 STUB: printf("lab 8: inode_bmap not implemented (the doubly indirect block)\n"); */
		/* LAB 8 STUB: return ERR_RANGE; */
		/* LAB 8 END */
	} else {
		return ERR_RANGE;
	}
	for (level = 0;; level++) {
		ptr = *slot;
		if (ptr == 0 && alloc) {
			if ((err = inode_new_block(level < levels, &ptr, fresh)) != ERR_OK ||
			    (err = log_write(owner)) != ERR_OK)
				break;
			*slot = ptr;
		} else if (ptr != 0 && !fs_block_is_data(inode_sb, ptr)) {
			err = ERR_BAD_FORMAT;
			break;
		}
		if (ptr == 0 || level == levels) {
			*out = ptr;
			break;
		}
		if ((err = buf_read(ptr, &next)) != ERR_OK)
			break;
		if (owner != ip->buf)
			buf_put(owner);
		owner = next;
		slot = (uint32_t *)owner->data + index[level];
	}
	if (owner != ip->buf)
		buf_put(owner);
	return err;
}

int inode_block(struct inode *ip, uint32_t fb, struct buf **bp)
{
	uint32_t block;
	int fresh, err = inode_bmap(ip, fb, 0, &block, &fresh);

	*bp = NULL;
	return err == ERR_OK && block != 0 ? buf_read(block, bp) : err;
}

uint32_t inode_count(void)
{
	return inode_sb->ninodes;
}

int inode_read(struct inode *ip, uint64_t off, void *dst, size_t n, size_t *done)
{
	uint64_t size = ip->d->size;
	uint8_t *to = dst;
	int fresh, err = ERR_OK;

	*done = 0;
	if (off >= size)
		return ERR_OK;
	if (n > size - off)
		n = size - off;
	while (*done < n) {
		uint32_t block, within = (off + *done) % FS_BSIZE;
		size_t chunk = FS_BSIZE - within < n - *done ? FS_BSIZE - within : n - *done;
		struct buf *b;

		if ((err = inode_bmap(ip, (off + *done) / FS_BSIZE, 0, &block, &fresh)) != ERR_OK)
			break;
		if (block == 0) {
			memset(to + *done, 0, chunk);
		} else {
			if ((err = buf_read(block, &b)) != ERR_OK)
				break;
			memcpy(to + *done, b->data + within, chunk);
			buf_put(b);
		}
		*done += chunk;
	}
	return err;
}

int inode_write(struct inode *ip, uint64_t off, const void *src, size_t n)
{
	const uint8_t *from = src;
	size_t done = 0;
	int fresh, err;

	if (off > FS_MAXBYTES || n > FS_MAXBYTES - off)
		return ERR_RANGE;
	while (done < n) {
		uint32_t block, within = (off + done) % FS_BSIZE;
		size_t chunk = FS_BSIZE - within < n - done ? FS_BSIZE - within : n - done;
		struct buf *b;

		if ((err = inode_bmap(ip, (off + done) / FS_BSIZE, 1, &block, &fresh)) != ERR_OK)
			return err;
		/* A new block, or one overwritten whole, need not be read first. */
		err = fresh || chunk == FS_BSIZE ? buf_fresh(block, &b) : buf_read(block, &b);
		if (err != ERR_OK)
			return err;
		memcpy(b->data + within, from + done, chunk);
		err = log_write(b);
		buf_put(b);
		if (err != ERR_OK)
			return err;
		done += chunk;
	}
	if (off + n > ip->d->size) {
		if ((err = inode_dirty(ip)) != ERR_OK)
			return err;
		ip->d->size = off + n;
	}
	return ERR_OK;
}

/* Free block (if any) and, for an index block of `depth` levels, every
 * block it names first. Depth is at most 2: iteration, not recursion on
 * disk data. */
static int inode_free_tree(uint32_t block, unsigned depth)
{
	struct buf *b, *ib;
	uint32_t i, j, ptr;
	int err = ERR_OK;

	if (block == 0)
		return ERR_OK;
	if (!fs_block_is_data(inode_sb, block))
		return ERR_BAD_FORMAT;
	if (depth > 0) {
		if ((err = buf_read(block, &b)) != ERR_OK)
			return err;
		for (i = 0; i < FS_NINDIRECT && err == ERR_OK; i++) {
			ptr = ((uint32_t *)b->data)[i];
			if (depth == 1 || ptr == 0) {
				err = ptr ? bitmap_free(ptr) : ERR_OK;
				continue;
			}
			if (!fs_block_is_data(inode_sb, ptr)) {
				err = ERR_BAD_FORMAT;
				break;
			}
			if ((err = buf_read(ptr, &ib)) != ERR_OK)
				break;
			for (j = 0; j < FS_NINDIRECT && err == ERR_OK; j++)
				if (((uint32_t *)ib->data)[j])
					err = bitmap_free(((uint32_t *)ib->data)[j]);
			buf_put(ib);
			if (err == ERR_OK)
				err = bitmap_free(ptr);
		}
		buf_put(b);
	}
	return err == ERR_OK ? bitmap_free(block) : err;
}

int inode_truncate(struct inode *ip)
{
	unsigned i;
	int err = inode_dirty(ip);

	for (i = 0; i < FS_NDIRECT + 2 && err == ERR_OK; i++) {
		err = inode_free_tree(ip->d->addrs[i], i < FS_NDIRECT ? 0 : i - FS_NDIRECT + 1);
		if (err == ERR_OK)
			ip->d->addrs[i] = 0;
	}
	if (err == ERR_OK)
		ip->d->size = 0;
	return err;
}

int inode_free(struct inode *ip)
{
	int err = inode_truncate(ip);

	if (err == ERR_OK)
		memset(ip->d, 0, sizeof(*ip->d));
	return err;
}

void inode_stat(const struct inode *ip, struct fs_stat *st)
{
	st->inum = ip->inum;
	st->type = ip->d->type;
	st->nlink = ip->d->nlink;
	st->major = ip->d->major;
	st->minor = ip->d->minor;
	st->size = ip->d->size;
}
