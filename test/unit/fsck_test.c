/*
 * fsck_test.c - host tests for tools/fsckcore.c and the mkfs and fsck
 * tools: a clean image passes, a committed log is replayed, and each kind
 * of damage is found and named. Images are made by the fs itself
 * (fs_world.h) and then damaged byte by byte.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "errors.h"
#include "fs_proto.h"
#include "fs_world.h"
#include "fsckcore.h"
#include "fsops.h"

#define ROOT FS_ROOT_INUM
#define P(s) (s), strlen(s)

static struct ramdisk rd;

static struct fs_superblock *sb(void)
{
	return (struct fs_superblock *)(rd.image + FS_SUPER_BLOCK * FS_BSIZE);
}

static struct fs_dinode *dinode(uint32_t inum)
{
	return (struct fs_dinode *)(rd.image + (size_t)fs_inode_block(sb(), inum) * FS_BSIZE) +
	       inum % FS_IPB;
}

static uint32_t inum_of(const char *path)
{
	struct fs_stat st;

	cr_assert_eq(fsops_stat(ROOT, P(path), 0, &st), ERR_OK, "%s", path);
	return st.inum;
}

/* The entry named name in directory dir, in the image. */
static struct fs_dirent *entry(uint32_t dir, const char *name)
{
	struct fs_dinode *d = dinode(dir);

	for (uint64_t k = 0; k < d->size / sizeof(struct fs_dirent); k++) {
		struct fs_dirent *e = (struct fs_dirent *)(rd.image +
							   (size_t)d->addrs[k / FS_DPB] * FS_BSIZE) +
				      k % FS_DPB;
		if (e->inum && strncmp(e->name, name, FS_DIRSIZ) == 0)
			return e;
	}
	cr_assert_fail("no entry %s in directory %u", name, dir);
	return NULL;
}

static void set_bit(uint32_t b, int on)
{
	uint8_t *byte = rd.image + (size_t)fs_bitmap_block(sb(), b) * FS_BSIZE + b % (FS_BSIZE * 8) / 8;

	*byte = on ? *byte | 1u << (b % 8) : *byte & ~(1u << (b % 8));
}

/* Build the populated image fsck is tried on. */
static void setup(void)
{
	fsw_format(&rd, 2048, 128);
	fsw_populate();
}

/* fsck the image; asserts that kind (and perhaps others) was found. */
static struct fsck_report check(int kind)
{
	struct fsck_report r;

	fsck_image(rd.image, rd.nblocks, &r, stderr);
	if (kind < 0)
		cr_assert_eq(r.total, 0, "a clean image has %u problems", r.total);
	else
		cr_assert_gt(r.problems[kind], 0, "fsck missed the %s damage", fsck_kind_name(kind));
	return r;
}

TestSuite(fsck, .init = setup);

Test(fsck, a_clean_image_is_clean)
{
	struct fsck_report r = check(-1);

	cr_assert_eq(r.files, 43);
	cr_assert_eq(r.dirs, 3);
	cr_assert_eq(r.symlinks, 1);
	cr_assert_eq(r.devices, 1);
	cr_assert_eq(r.used_blocks, fsw_used_blocks(&rd));
}

Test(fsck, a_committed_log_is_replayed)
{
	struct fs_logheader *h = (struct fs_logheader *)(rd.image + (size_t)sb()->logstart * FS_BSIZE);
	uint32_t inum = inum_of("/small"), home = fs_inode_block(sb(), inum);
	uint8_t *logged = rd.image + (size_t)(sb()->logstart + 1) * FS_BSIZE;
	struct fsck_report r;

	/* The transaction sets /small's size to 100; its home still says 300. */
	memcpy(logged, rd.image + (size_t)home * FS_BSIZE, FS_BSIZE);
	((struct fs_dinode *)logged)[inum % FS_IPB].size = 100;
	h->n = 1;
	h->block[0] = home;
	r = check(-1);
	cr_assert_eq(r.log_blocks, 1);
	cr_assert_eq(dinode(inum)->size, 100, "replayed");
}

Test(fsck, finds_a_bad_superblock)
{
	sb()->magic ^= 1;
	check(FSCK_SUPER);
	sb()->magic ^= 1;
	sb()->size = rd.nblocks + 1;
	check(FSCK_SUPER);
	sb()->size = rd.nblocks;
	sb()->bmapstart = sb()->inodestart;
	check(FSCK_SUPER);
}

Test(fsck, finds_a_bad_log_header)
{
	struct fs_logheader *h = (struct fs_logheader *)(rd.image + (size_t)sb()->logstart * FS_BSIZE);

	h->n = FS_LOGSIZE + 1;
	check(FSCK_LOG);
	h->n = 1;
	h->block[0] = sb()->logstart;
	check(FSCK_LOG);
}

Test(fsck, finds_a_bad_inode_type_and_size)
{
	dinode(inum_of("/small"))->type = 9;
	check(FSCK_INODE);
	dinode(inum_of("/d/f1"))->size = (uint64_t)FS_MAXFILE * FS_BSIZE + 1;
	check(FSCK_INODE);
}

Test(fsck, finds_a_pointer_out_of_range)
{
	dinode(inum_of("/small"))->addrs[0] = sb()->size + 7;
	check(FSCK_POINTER);
}

Test(fsck, finds_a_pointer_into_the_metadata)
{
	uint32_t ind = dinode(inum_of("/d/indirect"))->addrs[FS_ADDR_IND];

	((uint32_t *)(rd.image + (size_t)ind * FS_BSIZE))[3] = sb()->inodestart;
	check(FSCK_POINTER);
}

Test(fsck, finds_a_block_used_twice)
{
	dinode(inum_of("/d/f2"))->addrs[0] = dinode(inum_of("/d/f3"))->addrs[0];
	check(FSCK_DUP);
}

Test(fsck, finds_a_used_block_marked_free_and_a_leak)
{
	set_bit(dinode(inum_of("/small"))->addrs[0], 0);
	check(FSCK_BITMAP);
	set_bit(dinode(inum_of("/small"))->addrs[0], 1);
	check(-1);
	set_bit(sb()->size - 1, 1);
	check(FSCK_BITMAP);
}

Test(fsck, finds_bad_directory_entries)
{
	struct fs_dirent *e = entry(inum_of("/d"), "f5");
	struct fs_dirent saved = *e;

	e->inum = (uint16_t)sb()->ninodes;
	check(FSCK_DIRENT);
	*e = saved;
	e->name[0] = '/';
	check(FSCK_DIRENT);
	*e = saved;
	memcpy(e->name, "f6", 3);              /* a second "f6" */
	check(FSCK_DIRENT);
	*e = saved;
	entry(inum_of("/d/e"), "..")->inum = (uint16_t)inum_of("/d/e");
	check(FSCK_DIRENT);
}

Test(fsck, finds_an_entry_naming_a_free_inode)
{
	uint32_t inum = inum_of("/small");

	memset(dinode(inum), 0, sizeof(struct fs_dinode));
	check(FSCK_DIRENT);
}

Test(fsck, finds_a_directory_loop)
{
	/* /d/e gets an entry naming /d, its own parent: a loop. */
	struct fs_dirent *e = entry(inum_of("/d/e"), "doubly");

	e->inum = (uint16_t)inum_of("/d");
	check(FSCK_TREE);
}

Test(fsck, finds_an_inode_in_no_directory)
{
	struct fs_dirent *e = entry(ROOT, "small");

	e->inum = 0;
	check(FSCK_TREE);
}

Test(fsck, finds_wrong_link_counts)
{
	dinode(inum_of("/d/f7"))->nlink = 2;
	check(FSCK_NLINK);
	dinode(inum_of("/d/f7"))->nlink = 1;
	dinode(inum_of("/d"))->nlink = 1;         /* its entry in / and the ".." of e: 2 */
	check(FSCK_NLINK);
}

/* The tools end to end: mkfs an image of two host files, fsck it clean,
 * damage it, and fsck says so in its exit status. */
Test(fsck, mkfs_and_fsck_run_end_to_end)
{
	const char *mkfs = getenv("MICA_MKFS"), *fsck = getenv("MICA_FSCK");
	char cmd[1024], img[] = "/tmp/mica-fsck-XXXXXX";
	struct ramdisk got;
	size_t n;
	int fd = mkstemp(img);

	if (!mkfs || !fsck)
		cr_skip_test("MICA_MKFS and MICA_FSCK name the tools (make unit sets them)");
	cr_assert_geq(fd, 0);
	snprintf(cmd, sizeof(cmd), "%s %s 1024 -i 64 README=%s dir/copy=%s >/dev/null", mkfs, img,
		 mkfs, fsck);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null", fsck, img);
	cr_assert_eq(WEXITSTATUS(system(cmd)), 0);
	cr_assert_eq(ramdisk_load(&got, img), ERR_OK);
	cr_assert_eq(got.nblocks, 1024);
	cr_assert_eq(fsops_mount(&got.bdev), ERR_OK);
	{
		static uint8_t a[4 << 20], b[4 << 20];
		FILE *f = fopen(fsck, "rb");
		size_t m = fread(b, 1, sizeof(b), f);

		fclose(f);
		cr_assert_eq(fsw_get("/dir/copy", a, sizeof(a), &n), ERR_OK);
		cr_assert_eq(n, m);
		cr_assert_eq(memcmp(a, b, n), 0, "the file in the image is the host file");
	}
	((struct fs_superblock *)(got.image + FS_BSIZE))->ninodes = 0;
	cr_assert_eq(ramdisk_save(&got, img), ERR_OK);
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null", fsck, img);
	cr_assert_eq(WEXITSTATUS(system(cmd)), 1, "damage: exit status 1");
	snprintf(cmd, sizeof(cmd), "%s /nonexistent/image >/dev/null 2>&1", fsck);
	cr_assert_eq(WEXITSTATUS(system(cmd)), 2);
	ramdisk_destroy(&got);
	remove(img);
}
