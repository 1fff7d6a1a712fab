/*
 * fsck.c - check a file system image: `fsck IMAGE`.
 *
 * Prints a line for each problem (tools/fsckcore.c says what is checked)
 * and a summary, and exits 0 if the image is clean, 1 if it is damaged, 2
 * if it cannot be read. The image file is never written: a committed log
 * is replayed in memory only, as the fs would replay it at mount.
 */
#include <stdio.h>

#include "errors.h"
#include "fsckcore.h"
#include "ramdisk.h"

int main(int argc, char **argv)
{
	struct fsck_report r;
	struct ramdisk rd;
	unsigned k;

	if (argc != 2) {
		fprintf(stderr, "usage: fsck IMAGE\n");
		return 2;
	}
	if (ramdisk_load(&rd, argv[1]) != ERR_OK) {
		fprintf(stderr, "fsck: cannot read %s\n", argv[1]);
		return 2;
	}
	fsck_image(rd.image, rd.nblocks, &r, stdout);
	ramdisk_destroy(&rd);
	if (r.total == 0) {
		printf("fsck: %s: clean: %u files, %u directories, %u devices, %u symlinks, %u data "
		       "blocks in use, %u orphans\n", argv[1], r.files, r.dirs, r.devices, r.symlinks,
		       r.used_blocks, r.orphans);
		return 0;
	}
	printf("fsck: %s: %u problems:", argv[1], r.total);
	for (k = 0; k < FSCK_KINDS; k++)
		if (r.problems[k])
			printf(" %u %s", r.problems[k], fsck_kind_name(k));
	printf("\n");
	return 1;
}
