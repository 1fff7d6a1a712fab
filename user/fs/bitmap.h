/*
 * bitmap.h - which data blocks are in use: one bit per block of the disk,
 * in the bitmap blocks (fs_format.h). Both calls change the bitmap inside
 * the open transaction (log.h), so call them only between log_begin() and
 * the commit or abort.
 */
#ifndef MICA_FS_BITMAP_H
#define MICA_FS_BITMAP_H

#include <stdint.h>

#include "fs_format.h"

/* Start allocating on the disk sb describes. */
void bitmap_init(const struct fs_superblock *sb);
/* Mark a free data block used and put its number in *block. ERR_NO_SPACE
 * when the disk is full. The block's contents are whatever the disk holds:
 * the caller overwrites them (buf_fresh()). */
int bitmap_alloc(uint32_t *block);
/* Mark a used data block free. ERR_BAD_FORMAT for a block outside the data
 * area or one already free (a damaged image), with nothing changed. */
int bitmap_free(uint32_t block);

#endif /* MICA_FS_BITMAP_H */
