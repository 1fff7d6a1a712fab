/*
 * bitmap.c - the block allocator (bitmap.h).
 *
 * Allocation scans the bitmap a 64-bit word at a time from where the last
 * allocation ended, so filling a file takes consecutive blocks without
 * rescanning the used ones before them.
 */
#include "bitmap.h"
#include "bcache.h"
#include "errors.h"
#include "log.h"

#define BITS_PER_BLOCK (FS_BSIZE * 8)

static const struct fs_superblock *bitmap_sb;
static uint32_t bitmap_hint;          /* search from here */

void bitmap_init(const struct fs_superblock *sb)
{
	bitmap_sb = sb;
	bitmap_hint = sb->datastart;
}

/* Look for a clear bit of the bitmap block that covers blocks
 * [base, base + BITS_PER_BLOCK), in [from, end); mark it and log the block. */
static int bitmap_take(uint32_t base, uint32_t from, uint32_t end, uint32_t *block)
{
	struct buf *b;
	uint64_t *words;
	uint32_t i;
	int err = buf_read(fs_bitmap_block(bitmap_sb, base), &b);

	if (err != ERR_OK)
		return err;
	words = (uint64_t *)b->data;
	for (i = from - base; base + i < end; i++) {
		if (i % 64 == 0 && words[i / 64] == ~0ull && base + i + 64 <= end) {
			i += 63;
			continue;
		}
		if (!(words[i / 64] & (1ull << (i % 64)))) {
			err = log_write(b);
			if (err == ERR_OK) {
				words[i / 64] |= 1ull << (i % 64);
				*block = base + i;
			}
			buf_put(b);
			return err;
		}
	}
	buf_put(b);
	return ERR_NO_SPACE;
}

int bitmap_alloc(uint32_t *block)
{
	uint32_t start = bitmap_hint, at = start, size = bitmap_sb->size;
	int wrapped = 0, err;

	for (;;) {
		uint32_t base = at - at % BITS_PER_BLOCK;
		uint32_t end = base + BITS_PER_BLOCK < size ? base + BITS_PER_BLOCK : size;

		if (wrapped && end > start)
			end = start;
		err = bitmap_take(base, at, end, block);
		if (err == ERR_OK)
			bitmap_hint = *block + 1 < size ? *block + 1 : bitmap_sb->datastart;
		if (err != ERR_NO_SPACE)
			return err;
		at = end;
		if (at >= size) {
			at = bitmap_sb->datastart;
			wrapped = 1;
		}
		if (wrapped && at >= start)
			return ERR_NO_SPACE;
	}
}

int bitmap_free(uint32_t block)
{
	struct buf *b;
	uint8_t *byte;
	uint32_t bit = block % BITS_PER_BLOCK;
	int err;

	if (!fs_block_is_data(bitmap_sb, block))
		return ERR_BAD_FORMAT;
	if ((err = buf_read(fs_bitmap_block(bitmap_sb, block), &b)) != ERR_OK)
		return err;
	byte = &b->data[bit / 8];
	if (!(*byte & (1u << (bit % 8))))
		err = ERR_BAD_FORMAT;
	else if ((err = log_write(b)) == ERR_OK)
		*byte &= ~(1u << (bit % 8));
	buf_put(b);
	return err;
}
