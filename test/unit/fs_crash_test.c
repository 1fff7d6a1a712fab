/*
 * fs_crash_test.c - the log makes every operation atomic: a workload is
 * cut off at every one of its disk writes in turn (that write torn to a
 * varying number of sectors, all later ones lost, as in a power cut), the
 * image is mounted again, and then fsck must find it clean and the whole
 * tree must be exactly as it was either before or after the operation the
 * cut fell into.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fs_proto.h"
#include "fs_world.h"
#include "fsckcore.h"
#include "fsops.h"

#define ROOT FS_ROOT_INUM
#define P(s) (s), strlen(s)
#define OPS 33

static uint8_t data[FS_IO_MAX];

/* Step i of the workload, one fsops call (so one transaction) each:
 * creates, writes, appends, overwrites, links, symlinks, directories,
 * unlinks, a truncate, a write past the direct blocks and one to a file
 * unlinked while open. Returns its error. */
static int crash_step(unsigned i)
{
	static struct fs_stat a, b, c, t, g, held;
	const uint64_t big = FS_IO_MAX;

	fsw_fill(data, FS_IO_MAX, i, 0);
	switch (i) {
	case 0: return fsops_mkdir(ROOT, P("/dir"));
	case 1: return fsops_open(ROOT, P("/dir/a"), FS_O_RDWR | FS_O_CREATE, &a);
	case 2: return fsops_write(a.inum, 0, data, 3000);
	case 3: return fsops_close(a.inum);
	case 4: return fsops_open(ROOT, P("/b"), FS_O_RDWR | FS_O_CREATE, &b);
	case 5: return fsops_write(b.inum, 0, data, 9000);
	case 6: return fsops_write(b.inum, 4000, data, 5000);
	case 7: return fsops_write(b.inum, 64000, data, 5000);
	case 8: return fsops_write(b.inum, 124000, data, big);
	case 9: return fsops_link(ROOT, P("/dir/a"), P("/a2"));
	case 10: return fsops_symlink(ROOT, P("/dir/a"), P("/dir/sym"));
	case 11: return fsops_mkdir(ROOT, P("/dir/sub"));
	case 12: return fsops_open(ROOT, P("/dir/sub/c"), FS_O_RDWR | FS_O_CREATE, &c);
	case 13: return fsops_write(c.inum, 0, data, 100);
	case 14: return fsops_close(c.inum);
	case 15: return fsops_unlink(ROOT, P("/dir/a"));
	case 16: return fsops_open(ROOT, P("/b"), FS_O_RDWR | FS_O_TRUNC, &t);
	case 17: return fsops_write(t.inum, 0, data, 50);
	case 18: return fsops_close(t.inum);
	case 19: return fsops_unlink(ROOT, P("/dir/sub/c"));
	case 20: return fsops_unlink(ROOT, P("/dir/sub"));
	case 21: return fsops_open(ROOT, P("/dir/big"), FS_O_RDWR | FS_O_CREATE, &g);
	case 22: return fsops_write(g.inum, 100 * 1024, data, big);   /* makes the indirect block */
	case 23: return fsops_close(g.inum);
	case 24: return fsops_open(ROOT, P("/a2"), FS_O_RDWR, &held);
	case 25: return fsops_unlink(ROOT, P("/a2"));                /* open: an orphan now */
	case 26: return fsops_write(held.inum, 0, data, 700);
	case 27: return fsops_close(held.inum);                      /* frees it */
	case 28: return fsops_mknod(ROOT, P("/dev"), 3, 4);
	case 29: return fsops_unlink(ROOT, P("/dir/big"));
	case 30: return fsops_unlink(ROOT, P("/dir/sym"));
	case 31: return fsops_mkdir(ROOT, P("/last"));
	default: return fsops_close(b.inum);
	}
}

Test(fs_crash, every_write_cut_leaves_the_old_or_the_new_tree, .timeout = 120)
{
	struct ramdisk rd;
	uint64_t digest[OPS + 1];
	unsigned long writes[OPS + 1];
	unsigned errors, i, points = 0, olds = 0, news = 0;
	size_t bytes;
	uint8_t *initial, *copy;
	struct fsck_report r;

	/* The reference run: the tree's digest and the writes so far after each step. */
	fsw_format(&rd, 512, 64);
	bytes = (size_t)rd.nblocks * FS_BSIZE;
	initial = malloc(bytes);
	copy = malloc(bytes);
	memcpy(initial, rd.image, bytes);
	rd.writes = 0;
	digest[0] = fsw_digest(64, &errors);
	writes[0] = 0;
	for (i = 0; i < OPS; i++) {
		cr_assert_eq(crash_step(i), ERR_OK, "step %u", i);
		digest[i + 1] = fsw_digest(64, &errors);
		cr_assert_eq(errors, 0);
		writes[i + 1] = rd.writes;
	}
	for (unsigned long cut = 1; cut <= writes[OPS]; cut++) {
		unsigned op = 0;

		while (writes[op + 1] < cut)
			op++;                  /* the cut falls into step op */
		memcpy(rd.image, initial, bytes);
		cr_assert_eq(fsops_mount(&rd.bdev), ERR_OK);
		rd.writes = 0;
		rd.writes_left = (long)cut;
		rd.torn_sectors = cut % (FS_BSIZE / FS_SECTOR_SIZE + 1);
		for (i = 0; i < OPS; i++)
			crash_step(i);           /* the disk drops everything after the cut */
		rd.writes_left = -1;           /* the power comes back */
		cr_assert_eq(fsops_mount(&rd.bdev), ERR_OK, "cut at write %lu", cut);
		memcpy(copy, rd.image, bytes);
		cr_assert_eq(fsck_image(copy, rd.nblocks, &r, stderr), 0, "cut at write %lu", cut);
		uint64_t now = fsw_digest(64, &errors);
		cr_assert_eq(errors, 0);
		cr_assert(now == digest[op] || now == digest[op + 1],
			  "cut at write %lu (step %u, %u sectors): a tree that is neither the one "
			  "before nor the one after", cut, op, rd.torn_sectors);
		olds += now == digest[op];
		news += now == digest[op + 1];
		points++;
	}
	cr_assert_gt(olds, 0);
	cr_assert_gt(news, 0, "some cuts fall after a commit point");
	cr_log_info("%u cut points: %u old trees, %u new ones\n", points, olds, news);
	free(initial);
	free(copy);
	ramdisk_destroy(&rd);
}
