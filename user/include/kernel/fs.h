/*
 * kernel/fs.h - the parts of the file system's format a program sees:
 * directory entries, the block size and the largest file.
 *
 * read() on a directory returns an array of struct dirent, one per slot;
 * a slot with inum 0 is free. A name shorter than DIRSIZ ends with a nul,
 * one of exactly DIRSIZ bytes has none. BSIZE and the block counts are
 * those of the format Mica's file system server uses (lib/fs_format.h):
 * xv6's design with 4 KiB blocks, 26 direct blocks, one indirect and one
 * doubly indirect block, so files grow far past xv6's 268 KiB.
 */
#ifndef XV6_KERNEL_FS_H
#define XV6_KERNEL_FS_H

#include "kernel/types.h"

#define ROOTINO    1                       /* inode number of the root directory */
#define BSIZE      4096                    /* block size in bytes */
#define NDIRECT    26                      /* direct block addresses in an inode */
#define NINDIRECT  (BSIZE / sizeof(uint))  /* addresses in an indirect block */
#define NDINDIRECT (NINDIRECT * NINDIRECT) /* blocks under the doubly indirect block */
#define MAXFILE    (NDIRECT + NINDIRECT + NDINDIRECT)   /* largest file, in blocks */

#define DIRSIZ 14   /* bytes of a name in a directory entry */

struct dirent {
	ushort inum;         /* inode number, 0 for a free slot */
	char name[DIRSIZ];   /* not nul-terminated when DIRSIZ long */
};

#endif /* XV6_KERNEL_FS_H */
