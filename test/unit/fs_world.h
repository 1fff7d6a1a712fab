/*
 * fs_world.h - helpers for the file system's host tests: a formatted
 * ramdisk, whole-file writes and reads by path, a walk of the tree that
 * sums up its state, and a tree with a bit of everything in it.
 *
 * The fs layers keep their state in globals: one mounted file system per
 * test process (Criterion runs each test in its own).
 */
#ifndef MICA_FS_WORLD_H
#define MICA_FS_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "fs_format.h"
#include "ramdisk.h"

/* Format rd (nblocks blocks, ninodes inodes) and mount it; asserts. */
void fsw_format(struct ramdisk *rd, uint32_t nblocks, uint32_t ninodes);
/* Create or truncate path and write n bytes of data: the fsops error. */
int fsw_put(const char *path, const void *data, size_t n);
/* Read all of path into buf (at most size bytes): the fsops error; *n is the size. */
int fsw_get(const char *path, void *buf, size_t size, size_t *n);
/* The byte at offset i of the test pattern number `seed`. */
uint8_t fsw_pattern(unsigned seed, uint64_t i);
/* Fill buf with pattern seed from offset `from`. */
void fsw_fill(void *buf, size_t n, unsigned seed, uint64_t from);
/* A digest of the whole tree (names, types, link counts, sizes, contents,
 * symlink targets; contents up to 8 MiB a file), walked from the root breadth first, at most
 * `max_inodes` visited: equal digests mean equal trees. *errors counts the
 * operations that failed on the way (a damaged image). */
uint64_t fsw_digest(unsigned max_inodes, unsigned *errors);
/* Make directories, small and large files (through the indirect and
 * doubly indirect blocks), a symlink and a device file. */
void fsw_populate(void);
/* Data blocks marked used in the bitmap. */
uint32_t fsw_used_blocks(const struct ramdisk *rd);

#endif /* MICA_FS_WORLD_H */
