/*
 * fsops.h - the file system's operations, as the fs server (main.c), mkfs
 * and the host tests call them: each takes inode numbers and byte strings,
 * and each that changes the disk is one transaction, committed before it
 * returns (or aborted, leaving nothing changed, when it fails).
 *
 * Paths are resolved from the directory inode `dir` (or the root when they
 * begin with '/') and need not be nul-terminated: (path, len). An inode
 * stays usable after its last link is gone while it is held: fsops_open()
 * holds it, fsops_close() lets go, and the last fsops_close() of an unlinked
 * inode frees it. Open flags are FS_O_* (fs_proto.h), xv6's O_* values.
 */
#ifndef MICA_FS_FSOPS_H
#define MICA_FS_FSOPS_H

#include <stddef.h>
#include <stdint.h>

#include "bdev.h"
#include "fs_format.h"
#include "inode.h"

/* How many distinct inodes may be held open at once. */
#define FS_OPEN_INODES 256u

/* Mount the file system on dev: check the superblock, replay the log,
 * free inodes orphaned by a crash (no links, nobody holds them now).
 * ERR_BAD_FORMAT for an image that is not one of ours or is damaged. */
int fsops_mount(const struct fs_bdev *dev);
/* The superblock of the mounted file system. */
const struct fs_superblock *fsops_super(void);

/* Resolve (and with FS_O_CREATE make, with FS_O_TRUNC empty) a file; hold
 * its inode and describe it in *st. ERR_IS_DIRECTORY for a directory opened
 * for writing, ERR_NO_MEMORY when FS_OPEN_INODES are held. */
int fsops_open(uint32_t dir, const char *path, size_t len, unsigned flags, struct fs_stat *st);
/* Let go of an inode fsops_open() held. */
int fsops_close(uint32_t inum);
/* Read up to n bytes at off (*done: how many). A directory reads as its
 * entries (struct fs_dirent); a device file is ERR_INVALID_OPERATION. */
int fsops_read(uint32_t inum, uint64_t off, void *dst, size_t n, size_t *done);
/* Write n bytes at off: all, or none and an error (ERR_IS_DIRECTORY,
 * ERR_NO_SPACE, ERR_RANGE past the largest file). n is at most what one
 * transaction holds: FS_IO_MAX (fs_proto.h). */
int fsops_write(uint32_t inum, uint64_t off, const void *src, size_t n);
/* Live entries of directory inum from byte offset *off on, at most max:
 * *count of them in out[], *off advanced past the last one looked at. */
int fsops_readdir(uint32_t inum, uint64_t *off, struct fs_dirent *out, unsigned max, unsigned *count);
int fsops_fstat(uint32_t inum, struct fs_stat *st);
/* follow: whether a final symbolic link is followed (stat) or not (lstat). */
int fsops_stat(uint32_t dir, const char *path, size_t len, int follow, struct fs_stat *st);
int fsops_mkdir(uint32_t dir, const char *path, size_t len);
int fsops_mknod(uint32_t dir, const char *path, size_t len, uint16_t major, uint16_t minor);
int fsops_symlink(uint32_t dir, const char *target, size_t tlen, const char *path, size_t len);
/* The target of the symbolic link at path into buf (*done bytes, no nul). */
int fsops_readlink(uint32_t dir, const char *path, size_t len, char *buf, size_t size, size_t *done);
/* A new name for a file (not a directory: ERR_IS_DIRECTORY). */
int fsops_link(uint32_t dir, const char *old, size_t oldlen, const char *new, size_t newlen);
/* Remove a name; a directory must be empty (ERR_NOT_EMPTY). */
int fsops_unlink(uint32_t dir, const char *path, size_t len);

#endif /* MICA_FS_FSOPS_H */
