/*
 * fsckcore.h - checking a file system image (lib/fs_format.h) without
 * trusting any of it: the checker behind tools/fsck and the unit tests.
 *
 * fsck_image() replays a committed log in the given copy of the image (the
 * file on disk is never written), then checks that every block is
 * accounted for exactly once (metadata, one file, or free in the bitmap),
 * that link counts match the directory entries, that directories are well
 * formed and form a tree from the root. It prints what it finds, one line
 * a problem, and counts problems by kind.
 */
#ifndef MICA_FSCKCORE_H
#define MICA_FSCKCORE_H

#include <stdint.h>
#include <stdio.h>

enum fsck_kind {
	FSCK_SUPER,       /* the superblock is not ours or does not fit the image */
	FSCK_LOG,         /* the log header cannot be replayed */
	FSCK_INODE,       /* an impossible type or size, a block past the end */
	FSCK_POINTER,     /* a block pointer outside the data area */
	FSCK_DUP,         /* a block used twice */
	FSCK_BITMAP,      /* the bitmap disagrees with the blocks in use */
	FSCK_DIRENT,      /* a bad directory entry: name, inode, ".", "..", duplicate */
	FSCK_TREE,        /* a directory with two names (a loop), an inode no entry reaches */
	FSCK_NLINK,       /* a link count that differs from the entries naming the inode */
	FSCK_KINDS
};

struct fsck_report {
	unsigned problems[FSCK_KINDS];
	unsigned total;                /* all problems */
	unsigned log_blocks;           /* blocks a committed log held (replayed) */
	unsigned files, dirs, devices, symlinks, orphans;
	unsigned used_blocks;          /* data blocks in use */
};

/* Check the image of nblocks blocks at image (changed only by the log
 * replay), printing to out (NULL: silent). Returns r->total. */
unsigned fsck_image(uint8_t *image, uint32_t nblocks, struct fsck_report *r, FILE *out);
/* The name of a kind, for messages. */
const char *fsck_kind_name(enum fsck_kind kind);

#endif /* MICA_FSCKCORE_H */
