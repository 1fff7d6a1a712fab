/*
 * fsimage.h - making file system images on the host: the layout (an empty
 * file system with its root directory) and, through the fs's own code
 * (user/fs/fsops.h) mounted on a ramdisk, the files in it. Used by mkfs
 * and the unit tests.
 */
#ifndef MICA_FSIMAGE_H
#define MICA_FSIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "ramdisk.h"

/* Lay out an empty file system over the whole of rd with ninodes inodes
 * (at least 2) and mount it. ERR_RANGE if the disk is too small for the
 * metadata or ninodes is too many. */
int fsimage_format(struct ramdisk *rd, uint32_t ninodes);
/* Create (or replace) the file at path in the mounted file system with
 * the n bytes at data, creating missing directories on the way. */
int fsimage_add(const char *path, const void *data, size_t n);

#endif /* MICA_FSIMAGE_H */
