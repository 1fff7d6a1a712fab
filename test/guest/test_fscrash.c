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
		if ((err = fsworkload_op(c, i, (unsigned)(r >> 40) % FSW_FILES, r >> 20, 1)) != ERR_OK) {
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
