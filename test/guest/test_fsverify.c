/*
 * test_fsverify.c - the crash tests' second boot (tools/fscrash.py):
 * plays root (fsroot.h), so the fs mounts the image the power cut left
 * (replaying its log), then says what each file of fsworkload.h holds:
 * "verify: PATH SIZE SUM" or "verify: PATH - -" when it does not exist,
 * and whether its bytes are exactly some generation's pattern, then
 * "verify: done". The harness compares that with what the workload said.
 */
#include "errors.h"
#include "printf.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"
#include "fsworkload.h"

static struct fs_client *c = &fsroot.c;

int main(const struct bootinfo *bi)
{
	unsigned j;
	int err;

	if ((err = fsroot_start(bi, BLK_ARG_QUIET, FS_ARG_QUIET)) != ERR_OK) {
		printf("verify: FAIL cannot start: %s\n", err_name(err));
		return 1;
	}
	for (j = 0; j < FSW_FILES; j++) {
		char path[8];
		uint64_t size;
		uint32_t sum;

		fsworkload_path(path, j);
		err = fsworkload_read(c, path, &size, &sum);
		if (err == ERR_NOT_FOUND)
			printf("verify: %s - -\n", path);
		else if (err != ERR_OK)
			printf("verify: FAIL %s: %s\n", path, err_name(err));
		else
			printf("verify: %s %lu %u\n", path, (unsigned long)size, sum);
	}
	printf("verify: done\n");
	fsroot_stop();
	return 0;
}
