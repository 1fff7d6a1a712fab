/*
 * inode.h - inodes: a file's type, link count, size and block map, and
 * reading and writing its bytes.
 *
 * A struct inode is a held view of one on-disk inode: the buffer of its
 * inode block and a pointer into it, valid between inode_get() and
 * inode_put(). There is no separate in-memory copy: a change to d is a
 * change to the cached block, and inode_dirty() logs it. Every function that
 * changes the disk must run inside a transaction (log.h). Every block
 * pointer read from an inode or an indirect block is range-checked: a
 * damaged image yields ERR_BAD_FORMAT, never a wild access.
 */
#ifndef MICA_FS_INODE_H
#define MICA_FS_INODE_H

#include <stddef.h>
#include <stdint.h>

#include "bcache.h"
#include "fs_format.h"
#include "fs_proto.h"

struct inode {
	uint32_t inum;
	struct buf *buf;           /* the inode block, held */
	struct fs_dinode *d;       /* the inode, inside buf */
};

/* The largest file, in bytes. */
#define FS_MAXBYTES ((uint64_t)FS_MAXFILE * FS_BSIZE)

/* Serve the inodes of the disk sb describes. */
void inode_init(const struct fs_superblock *sb);
/* Hold inode inum. ERR_NOT_FOUND for inode 0 or past the table; ERR_BAD_FORMAT
 * for an inode whose type or size is impossible (a directory over
 * FS_MAXDIRSIZE too). A free inode (type 0) is
 * returned as such: callers that need a live one check d->type. */
int inode_get(uint32_t inum, struct inode *ip);
void inode_put(struct inode *ip);
/* Log the change the caller made to ip->d. */
int inode_dirty(struct inode *ip);
/* Allocate a free inode of `type` (zeroed, nlink 0, size 0) and hold it.
 * ERR_NO_INODES when the table is full. */
int inode_alloc(uint16_t type, struct inode *ip);
/* The buffer of file block fb of ip (held: buf_put() it), or *bp = NULL
 * for a hole. */
int inode_block(struct inode *ip, uint32_t fb, struct buf **bp);
/* How many inodes the table has (inums 1..count-1 can exist). */
uint32_t inode_count(void);
/* Read up to n bytes at off into dst: *done gets how many (fewer at the end
 * of the file). Holes read as zeros. */
int inode_read(struct inode *ip, uint64_t off, void *dst, size_t n, size_t *done);
/* Write n bytes from src at off, growing the file and allocating blocks as
 * needed: all n, or an error with the transaction to be aborted.
 * ERR_RANGE past FS_MAXBYTES, ERR_NO_SPACE when the disk is full. */
int inode_write(struct inode *ip, uint64_t off, const void *src, size_t n);
/* Free every block of the file and make its size 0. */
int inode_truncate(struct inode *ip);
/* Free the inode and its blocks (its last link is gone, nobody has it open). */
int inode_free(struct inode *ip);
void inode_stat(const struct inode *ip, struct fs_stat *st);

#endif /* MICA_FS_INODE_H */
