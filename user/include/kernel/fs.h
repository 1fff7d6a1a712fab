/*
 * kernel/fs.h - the parts of the file system's format a program sees:
 * directory entries, the block size and the largest file.
 *
 * read() on a directory returns an array of struct dirent, one per slot;
 * a slot with inum 0 is free. A name shorter than DIRSIZ ends with a nul,
 * one of exactly DIRSIZ bytes has none. BSIZE and MAXFILE describe the
 * disk format the file system server implements (xv6's: 12 direct blocks
 * and one indirect block), so a test can write a file of the largest size.
 */
#ifndef XV6_KERNEL_FS_H
#define XV6_KERNEL_FS_H

#include "kernel/types.h"

#define ROOTINO   1                       /* inode number of the root directory */
#define BSIZE     1024                    /* block size in bytes */
#define NDIRECT   12                      /* direct block addresses in an inode */
#define NINDIRECT (BSIZE / sizeof(uint))  /* addresses in the indirect block */
#define MAXFILE   (NDIRECT + NINDIRECT)   /* largest file, in blocks */

#define DIRSIZ 14   /* bytes of a name in a directory entry */

struct dirent {
	ushort inum;         /* inode number, 0 for a free slot */
	char name[DIRSIZ];   /* not nul-terminated when DIRSIZ long */
};

#endif /* XV6_KERNEL_FS_H */
