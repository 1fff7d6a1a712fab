/*
 * bench_fs.c - plays root for the file system's figures of `make bench`
 * (tools/bench.py boots it as root=bench_fs on a copy of build/fs.img):
 * starts user/blk and user/fs (fsroot.h), connects as a client and counts
 * the instructions of whole operations through the real stack: the
 * client's stub, the call, the fs, its calls to the block driver, the
 * device's interrupts, and back.
 *
 *   fs_small_file  create + write 128 bytes + close + unlink (3 commits)
 *   fs_write_4k    one 4 KiB write of a sequential 1 MiB file (a commit each)
 *   fs_read_4k     one 4 KiB read of that file, sequential (in the cache)
 *   fs_stat        stat of a path in the root directory
 *
 * The device works beside the CPU, so whether a completion comes before
 * the driver waits for it or after depends on the host (bench_blk.c says
 * more): a figure that calls the driver is therefore the cheapest single
 * operation of many, each counted alone, which is the same on every run;
 * the mean is printed beside it. fs_stat never reaches the disk: the
 * cheapest of BENCH_ROUNDS rounds of STAT_BATCH. The drive is attached
 * with cache=unsafe (tools/bench.py), so that a flush's wait for the
 * host's disk does not become guest timer ticks. Output as bench.c's.
 */
#include "bench_measure.h"
#include "errors.h"
#include "printf.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"

#define BENCH_ROUNDS 5
#define SMALL_FILES  400
#define FILE_BLOCKS  256             /* 1 MiB, 4 KiB at a time */
#define FILE_ROUNDS  4
#define STAT_BATCH   200

static struct fs_client *c = &fsroot.c;
static uint64_t handle;

__attribute__((noinline)) static int op_small_file(void)
{
	uint64_t h;
	int err = fs_open(c, FS_HANDLE_ROOT, "small", FS_O_RDWR | FS_O_CREATE, &h, NULL);

	if (err == ERR_OK)
		err = fs_write(c, h, c->buf, 128, FS_OFF_HANDLE);
	if (err == ERR_OK)
		err = fs_close(c, h);
	return err == ERR_OK ? fs_unlink(c, FS_HANDLE_ROOT, "small") : err;
}

__attribute__((noinline)) static int op_write_4k(void)
{
	return fs_write(c, handle, c->buf, 4096, FS_OFF_HANDLE);
}

__attribute__((noinline)) static int op_read_4k(void)
{
	size_t done;
	int err = fs_read(c, handle, c->buf, 4096, FS_OFF_HANDLE, &done);

	return err == ERR_OK && done != 4096 ? ERR_RANGE : err;
}

__attribute__((noinline)) static int op_stat(void)
{
	struct fs_stat st;

	return fs_stat(c, FS_HANDLE_ROOT, "README", 1, &st);
}

/* The cheapest of FILE_ROUNDS x FILE_BLOCKS calls of op, each counted
 * alone, each round over a fresh open of the 1 MiB file: truncated for
 * writing, at 0 for reading; *mean gets their mean. */
static uint64_t bench_file(int (*op)(void), unsigned flags, uint64_t *mean, int *err)
{
	uint64_t best = ~0ul, cheapest, total, sum = 0;
	unsigned r;

	for (r = 0; r < FILE_ROUNDS && *err == ERR_OK; r++) {
		if ((*err = fs_open(c, FS_HANDLE_ROOT, "seq", flags, &handle, NULL)) != ERR_OK)
			break;
		cheapest = bench_cheapest(op, FILE_BLOCKS, &total, err);
		best = cheapest < best ? cheapest : best;
		sum += total;
		if (*err == ERR_OK)
			*err = fs_close(c, handle);
	}
	*mean = sum / (FILE_ROUNDS * FILE_BLOCKS);
	return best;
}

int main(const struct bootinfo *bi)
{
	uint64_t small, write, read, stat, small_mean = 0, write_mean = 0, read_mean = 0, total;
	int err = fsroot_start(bi, BLK_ARG_QUIET, FS_ARG_QUIET);

	if (err != ERR_OK) {
		printf("bench: FAIL start the block driver and the fs: %s\n", err_name(err));
		return 1;
	}
	small = bench_cheapest(op_small_file, SMALL_FILES, &total, &err);
	small_mean = total / SMALL_FILES;
	if (err == ERR_OK)
		write = bench_file(op_write_4k, FS_O_WRONLY | FS_O_CREATE | FS_O_TRUNC, &write_mean, &err);
	if (err == ERR_OK)
		read = bench_file(op_read_4k, FS_O_RDONLY, &read_mean, &err);
	if (err == ERR_OK)
		stat = bench_min(op_stat, STAT_BATCH, BENCH_ROUNDS, &err) / STAT_BATCH;
	if (err != ERR_OK) {
		printf("bench: FAIL a file system operation: %s\n", err_name(err));
		return 1;
	}
	printf("bench: fs_small_file %lu.0\n", small);
	printf("bench: (fs_small_file: %lu on average)\n", small_mean);
	printf("bench: fs_write_4k %lu.0\n", write);
	printf("bench: (fs_write_4k: %lu on average)\n", write_mean);
	printf("bench: fs_read_4k %lu.0\n", read);
	printf("bench: (fs_read_4k: %lu on average)\n", read_mean);
	printf("bench: fs_stat %lu.0\n", stat);
	printf("bench: done\n");
	fsroot_stop();
	return 0;
}
