/*
 * fs_world.c - helpers for the file system's host tests (fs_world.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fs_proto.h"
#include "fs_world.h"
#include "fsimage.h"
#include "fsops.h"

void fsw_format(struct ramdisk *rd, uint32_t nblocks, uint32_t ninodes)
{
	cr_assert_eq(ramdisk_create(rd, nblocks), ERR_OK);
	cr_assert_eq(fsimage_format(rd, ninodes), ERR_OK, "format %u blocks", nblocks);
}

int fsw_put(const char *path, const void *data, size_t n)
{
	struct fs_stat st = { 0 };
	size_t done;
	int err = fsops_open(FS_ROOT_INUM, path, strlen(path), FS_O_RDWR | FS_O_CREATE | FS_O_TRUNC,
			     &st);

	for (done = 0; err == ERR_OK && done < n; done += FS_IO_MAX)
		err = fsops_write(st.inum, done, (const char *)data + done,
				  n - done < FS_IO_MAX ? n - done : FS_IO_MAX);
	if (fsops_close(st.inum) != ERR_OK && err == ERR_OK)
		err = ERR_IO;
	return err;
}

int fsw_get(const char *path, void *buf, size_t size, size_t *n)
{
	struct fs_stat st;
	size_t done;
	int err = fsops_open(FS_ROOT_INUM, path, strlen(path), FS_O_RDONLY, &st);

	*n = 0;
	if (err != ERR_OK)
		return err;
	while (err == ERR_OK && *n < size) {
		size_t want = size - *n < FS_IO_MAX ? size - *n : FS_IO_MAX;

		err = fsops_read(st.inum, *n, (char *)buf + *n, want, &done);
		*n += done;
		if (done < want)
			break;
	}
	fsops_close(st.inum);
	return err;
}

uint8_t fsw_pattern(unsigned seed, uint64_t i)
{
	uint64_t x = (i / 8 + 1) * 0x9e3779b97f4a7c15ull ^ (seed * 0xbf58476d1ce4e5b9ull);

	x ^= x >> 29;
	return (uint8_t)(x >> (8 * (i % 8)));
}

void fsw_fill(void *buf, size_t n, unsigned seed, uint64_t from)
{
	size_t i;

	for (i = 0; i < n; i++)
		((uint8_t *)buf)[i] = fsw_pattern(seed, from + i);
}

static uint64_t fsw_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

/* A position-sensitive sum of n bytes (Fletcher's, on 64-bit words). */
static uint64_t fsw_sum(const uint8_t *p, size_t n)
{
	uint64_t a = 0, b = 0, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		a += w;
		b += a;
	}
	for (; i < n; i++) {
		a += p[i];
		b += a;
	}
	return a ^ (b * 31);
}

uint64_t fsw_digest(unsigned max_inodes, unsigned *errors)
{
	static uint8_t data[FS_IO_MAX];
	uint32_t *queue = calloc(max_inodes + 1, sizeof(uint32_t));
	uint8_t *seen = calloc(FS_MAX_INODES + 1, 1);    /* directories queued once */
	unsigned head = 0, tail = 0;
	uint64_t h = 0xcbf29ce484222325ull;

	*errors = 0;
	queue[tail++] = FS_ROOT_INUM;
	seen[FS_ROOT_INUM] = 1;
	while (head < tail) {
		uint32_t dir = queue[head++];
		struct fs_dirent e[16];
		uint64_t off = 0;
		unsigned count, i;
		int err;

		do {
			err = fsops_readdir(dir, &off, e, 16, &count);
			if (err != ERR_OK)
				++*errors;
			for (i = 0; i < count; i++) {
				struct fs_stat st;
				uint64_t at;
				size_t done;

				if (strncmp(e[i].name, ".", FS_DIRSIZ) == 0 ||
				    strncmp(e[i].name, "..", FS_DIRSIZ) == 0)
					continue;
				h = fsw_mix(h, dir);
				h = fsw_mix(h, (uint64_t)strnlen(e[i].name, FS_DIRSIZ));
				for (size_t c = 0; c < strnlen(e[i].name, FS_DIRSIZ); c++)
					h = fsw_mix(h, (uint8_t)e[i].name[c]);
				if ((err = fsops_fstat(e[i].inum, &st)) != ERR_OK) {
					++*errors;
					continue;
				}
				h = fsw_mix(h, st.type);
				h = fsw_mix(h, st.nlink);
				h = fsw_mix(h, st.size);
				if (st.type == FS_T_DIR) {
					if (tail < max_inodes && !seen[e[i].inum])
						queue[tail++] = e[i].inum;
					seen[e[i].inum] = 1;
					continue;
				}
				if (st.type != FS_T_FILE && st.type != FS_T_SYMLINK)
					continue;
				for (at = 0; at < st.size && at < (8u << 20); at += done) {
					err = fsops_read(e[i].inum, at, data, sizeof(data), &done);
					if (err != ERR_OK || done == 0) {
						++*errors;
						break;
					}
					h = fsw_mix(h, fsw_sum(data, done));
				}
			}
		} while (err == ERR_OK && count > 0);
	}
	free(queue);
	free(seen);
	return h;
}

void fsw_populate(void)
{
	static uint8_t big[5 << 20];
	const uint32_t root = FS_ROOT_INUM;

	cr_assert_eq(fsops_mkdir(root, "/d", 2), ERR_OK);
	cr_assert_eq(fsops_mkdir(root, "/d/e", 4), ERR_OK);
	fsw_fill(big, 300, 1, 0);
	cr_assert_eq(fsw_put("/small", big, 300), ERR_OK);
	fsw_fill(big, 200 << 10, 2, 0);
	cr_assert_eq(fsw_put("/d/indirect", big, 200 << 10), ERR_OK);
	fsw_fill(big, sizeof(big), 3, 0);
	cr_assert_eq(fsw_put("/d/e/doubly", big, sizeof(big)), ERR_OK);
	cr_assert_eq(fsops_symlink(root, "/d/e/doubly", 11, "/d/link", 7), ERR_OK);
	cr_assert_eq(fsops_mknod(root, "/console", 8, 1, 0), ERR_OK);
	for (unsigned i = 0; i < 40; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/d/f%u", i);
		fsw_fill(big, i * 50, 10 + i, 0);
		cr_assert_eq(fsw_put(name, big, i * 50), ERR_OK);
	}
}

uint32_t fsw_used_blocks(const struct ramdisk *rd)
{
	const struct fs_superblock *sb =
		(const struct fs_superblock *)(rd->image + FS_SUPER_BLOCK * FS_BSIZE);
	uint32_t b, n = 0;

	for (b = sb->datastart; b < sb->size; b++)
		n += rd->image[(size_t)fs_bitmap_block(sb, b) * FS_BSIZE + b % (FS_BSIZE * 8) / 8] >>
			     (b % 8) & 1;
	return n;
}
