/*
 * fsworkload.h - the write-heavy workload of the crash and fault tests:
 * files /w/f0../w/f5, each holding the first `size` bytes of its own
 * pattern (fspattern.h) for its current generation, so that a file's whole
 * content follows from (generation, size) and a checksum of it can be
 * computed without keeping it. fsworkload_op() is one request (one
 * transaction): create, append, truncate or unlink one file.
 *
 * Include after fsroot.h, in one file per program (the files' state is
 * this header's own).
 */
#ifndef MICA_FSWORKLOAD_H
#define MICA_FSWORKLOAD_H

#include "fs_proto.h"
#include "fspattern.h"
#include "printf.h"
#include "str.h"

#define FSW_FILES 6
#define FSW_MAX_SIZE (128u << 10)

/* What each file holds after the operations done so far. */
static struct {
	int exists;
	unsigned gen;
	uint64_t size;
} fsw_files[FSW_FILES];

/* The pattern seed of file j in generation gen. */
static inline unsigned fsworkload_seed(unsigned j, unsigned gen)
{
	return j * 1000 + gen;
}

/* The checksum of the first size bytes of pattern seed. */
static inline uint32_t fsworkload_sum(unsigned seed, uint64_t size)
{
	static uint8_t chunk[4096];
	uint32_t sum = 0;
	uint64_t at;

	for (at = 0; at < size; at += sizeof(chunk)) {
		size_t n = size - at < sizeof(chunk) ? size - at : sizeof(chunk);

		fspattern_fill(chunk, n, seed, at);
		sum = fspattern_sum(sum, chunk, n);
	}
	return sum;
}

/* File j's path, "/w/fJ", into path (8 bytes). */
static inline void fsworkload_path(char *path, unsigned j)
{
	memcpy(path, "/w/f0", 6);
	path[4] = (char)('0' + j);
}

/* "wl: begin I PATH SIZE SUM": the state file j will have after operation
 * i (SIZE and SUM "-" for a file that will not exist). */
static inline void fsworkload_say_begin(unsigned i, const char *path, unsigned j)
{
	if (fsw_files[j].exists)
		printf("wl: begin %u %s %lu %u\n", i, path, fsw_files[j].size,
		       fsworkload_sum(fsworkload_seed(j, fsw_files[j].gen), fsw_files[j].size));
	else
		printf("wl: begin %u %s - -\n", i, path);
}

/* Operation i on file j, chosen by r, through client c; with say, its
 * "wl: begin" line first. Returns its error. */
static inline int fsworkload_op(struct fs_client *c, unsigned i, unsigned j, uint64_t r, int say)
{
	char path[8];
	uint64_t h, n, at;
	int err;

	fsworkload_path(path, j);
	if (!fsw_files[j].exists || r % 8 == 0) {
		/* create, or truncate: a new generation, empty */
		fsw_files[j].exists = 1;
		fsw_files[j].gen++;
		fsw_files[j].size = 0;
		if (say)
			fsworkload_say_begin(i, path, j);
		err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_RDWR | FS_O_CREATE | FS_O_TRUNC, &h, NULL);
		return err == ERR_OK ? fs_close(c, h) : err;
	}
	if (r % 8 == 1) {
		fsw_files[j].exists = 0;
		if (say)
			fsworkload_say_begin(i, path, j);
		return fs_unlink(c, FS_HANDLE_ROOT, path);
	}
	n = 1 + (r >> 8) % FS_IO_MAX;
	if (fsw_files[j].size + n > FSW_MAX_SIZE)
		n = FSW_MAX_SIZE - fsw_files[j].size;
	at = fsw_files[j].size;
	fsw_files[j].size += n;
	if (say)
		fsworkload_say_begin(i, path, j);
	if ((err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_WRONLY, &h, NULL)) != ERR_OK)
		return err;
	fspattern_fill(c->buf, n, fsworkload_seed(j, fsw_files[j].gen), at);
	err = fs_write(c, h, c->buf, n, at);
	return fs_close(c, h) == ERR_OK ? err : ERR_IO;
}

/* What path holds: its size and checksum, or ERR_NOT_FOUND. */
static inline int fsworkload_read(struct fs_client *c, const char *path, uint64_t *size,
				  uint32_t *sum)
{
	struct fs_stat st;
	uint64_t h;
	size_t done = 1;
	int err = fs_stat(c, FS_HANDLE_ROOT, path, 1, &st);

	*size = 0;
	*sum = 0;
	if (err == ERR_OK)
		err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_RDONLY, &h, NULL);
	if (err != ERR_OK)
		return err;
	while (err == ERR_OK && done > 0) {
		err = fs_read(c, h, c->buf, FS_IO_MAX, *size, &done);
		*sum = fspattern_sum(*sum, c->buf, done);
		*size += done;
	}
	return fs_close(c, h) == ERR_OK ? err : ERR_IO;
}

/* Whether file j holds exactly what the operations done so far left:
 * 1 if so, 0 if not (or it cannot be read). */
static inline int fsworkload_intact(struct fs_client *c, unsigned j)
{
	char path[8];
	uint64_t size;
	uint32_t sum;
	int err;

	fsworkload_path(path, j);
	err = fsworkload_read(c, path, &size, &sum);
	if (!fsw_files[j].exists)
		return err == ERR_NOT_FOUND;
	return err == ERR_OK && size == fsw_files[j].size &&
	       sum == fsworkload_sum(fsworkload_seed(j, fsw_files[j].gen), size);
}

#endif /* MICA_FSWORKLOAD_H */
