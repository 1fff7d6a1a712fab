/*
 * kernel/stat.h - what fstat() and stat() report about a file: xv6's
 * struct stat, field for field, and the file types.
 *
 * The layout is xv6's (24 bytes on RV64), so code that reads st.size or
 * compares st.type with T_DIR works unchanged. T_SYMLINK is the symbolic
 * link type of xv6's symlink lab; open(path, O_NOFOLLOW) and fstat() on the
 * result are how a program sees one.
 */
#ifndef XV6_KERNEL_STAT_H
#define XV6_KERNEL_STAT_H

#include "kernel/types.h"

#define T_DIR     1   /* a directory */
#define T_FILE    2   /* a regular file */
#define T_DEVICE  3   /* a device file (the console) */
#define T_SYMLINK 4   /* a symbolic link */

struct stat {
	int dev;        /* file system's disk device */
	uint ino;       /* inode number */
	short type;     /* T_DIR, T_FILE, T_DEVICE or T_SYMLINK */
	short nlink;    /* number of links (directory entries) to the file */
	uint64 size;    /* size of the file in bytes */
};

#endif /* XV6_KERNEL_STAT_H */
