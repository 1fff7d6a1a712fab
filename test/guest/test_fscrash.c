/*
 * test_fscrash.c - the write-heavy workload of the crash tests
 * (tools/fscrash.py). Plays root (fsroot.h) and, with boot arguments
 * cut=K torn=T, has the fs stop dead at its K-th disk write from here, cut
 * to T sectors: a power cut, after which the harness kills QEMU.
 *
 * Each operation is one request (one transaction): create, append,
 * truncate or unlink one of the files of fsworkload.h. Before it, the
 * program prints the state the file will have after it, "wl: begin I PATH
 * SIZE SUM" (SIZE - for a file that will not exist); after it returns,
 * "wl: done I". After a reboot (test_fsverify) every file must be in the
 * state of the last operation on it that was done, or, for the one
 * operation begun and not done, in the state before or after it.
 */
#include "errors.h"
#include "printf.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"
#include "fsbootarg.h"
#include "fsworkload.h"
#include "root_proto.h"

#define OPS 80

static struct fs_client *c = &fsroot.c;

static struct {
	int exists;
	unsigned gen;
	uint64_t size;
} files[FSW_FILES];

static void path_of(char *path, unsigned j)
{
	memcpy(path, "/w/f0", 6);
	path[4] = (char)('0' + j);
}

static void say_begin(unsigned i, const char *path, unsigned j)
{
	if (files[j].exists)
		printf("wl: begin %u %s %lu %u\n", i, path, files[j].size,
		       fsworkload_sum(fsworkload_seed(j, files[j].gen), files[j].size));
	else
		printf("wl: begin %u %s - -\n", i, path);
}

/* Operation i on file j, chosen by r; returns its error. */
static int op(unsigned i, unsigned j, uint64_t r)
{
	char path[8];
	uint64_t h, n, at;
	int err;

	path_of(path, j);
	if (!files[j].exists || r % 8 == 0) {
		/* create, or truncate: a new generation, empty */
		files[j].exists = 1;
		files[j].gen++;
		files[j].size = 0;
		say_begin(i, path, j);
		err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_RDWR | FS_O_CREATE | FS_O_TRUNC, &h, NULL);
		return err == ERR_OK ? fs_close(c, h) : err;
	}
	if (r % 8 == 1) {
		files[j].exists = 0;
		say_begin(i, path, j);
		return fs_unlink(c, FS_HANDLE_ROOT, path);
	}
	n = 1 + (r >> 8) % FS_IO_MAX;
	if (files[j].size + n > FSW_MAX_SIZE)
		n = FSW_MAX_SIZE - files[j].size;
	at = files[j].size;
	files[j].size += n;
	say_begin(i, path, j);
	if ((err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_WRONLY, &h, NULL)) != ERR_OK)
		return err;
	fspattern_fill(c->buf, n, fsworkload_seed(j, files[j].gen), at);
	err = fs_write(c, h, c->buf, n, at);
	return fs_close(c, h) == ERR_OK ? err : ERR_IO;
}

int main(const struct bootinfo *bi)
{
	unsigned long cut = fsbootarg(bi, "cut", 0), torn = fsbootarg(bi, "torn", 0);
	uint64_t r = 0x2545f4914f6cdd1dull, start, end;
	unsigned i;
	int err;

	if ((err = fsroot_start(bi, BLK_ARG_QUIET, SERVER_ARG_INJECT | FS_ARG_QUIET)) != ERR_OK ||
	    (err = fs_mkdir(c, FS_HANDLE_ROOT, "/w")) != ERR_OK ||
	    (err = fs_inject(c, FS_FAULT_POWER_CUT, 0, 0, &start)) != ERR_OK ||
	    (cut && (err = fs_inject(c, FS_FAULT_POWER_CUT, cut, torn, NULL)) != ERR_OK)) {
		printf("wl: FAIL cannot start: %s\n", err_name(err));
		return 1;
	}
	printf("wl: start (cut at write %lu, torn to %lu sectors)\n", cut, torn);
	for (i = 0; i < OPS; i++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		if ((err = op(i, (unsigned)(r >> 40) % FSW_FILES, r >> 20)) != ERR_OK) {
			printf("wl: FAIL operation %u: %s\n", i, err_name(err));
			return 1;
		}
		printf("wl: done %u\n", i);
	}
	fs_inject(c, FS_FAULT_POWER_CUT, 0, 0, &end);
	printf("wl: end, %lu disk writes\n", (unsigned long)(end - start));
	fsroot_stop();
	return 0;
}
