/*
 * fs_test.c - host tests for the file system's layers (user/fs/) on a
 * ramdisk: files, large files, directories, symbolic links, links, every
 * error the fs promises, and that a failed operation changes nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "fs_proto.h"
#include "fs_world.h"
#include "fsckcore.h"
#include "fsops.h"
#include "log.h"

#define ROOT FS_ROOT_INUM
#define P(s) (s), strlen(s)

static struct ramdisk rd;
static uint8_t buf[1 << 20], back[1 << 20];

/* The image is clean by fsck's account. */
static void assert_clean(void)
{
	struct fsck_report r;
	uint8_t *copy = malloc((size_t)rd.nblocks * FS_BSIZE);

	memcpy(copy, rd.image, (size_t)rd.nblocks * FS_BSIZE);
	cr_assert_eq(fsck_image(copy, rd.nblocks, &r, stderr), 0, "fsck finds %u problems", r.total);
	free(copy);
}

Test(fs, mount_sees_an_empty_root)
{
	struct fs_stat st;
	struct fs_dirent e[4];
	uint64_t off = 0;
	unsigned n;

	fsw_format(&rd, 256, 64);
	cr_assert_eq(fsops_stat(ROOT, P("/"), 1, &st), ERR_OK);
	cr_assert_eq(st.type, FS_T_DIR);
	cr_assert_eq(st.inum, FS_ROOT_INUM);
	cr_assert_eq(fsops_readdir(ROOT, &off, e, 4, &n), ERR_OK);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(e[0].name, ".");
	cr_assert_str_eq(e[1].name, "..");
	assert_clean();
}

Test(fs, files_are_written_read_back_and_unlinked)
{
	struct fs_stat st;
	size_t n;
	uint32_t before;

	fsw_format(&rd, 1024, 64);
	before = fsw_used_blocks(&rd);
	fsw_fill(buf, 10000, 7, 0);
	cr_assert_eq(fsw_put("/a", buf, 10000), ERR_OK);
	cr_assert_eq(fsw_get("/a", back, sizeof(back), &n), ERR_OK);
	cr_assert_eq(n, 10000);
	cr_assert_eq(memcmp(buf, back, n), 0);
	cr_assert_eq(fsops_stat(ROOT, P("a"), 1, &st), ERR_OK);
	cr_assert_eq(st.size, 10000);
	cr_assert_eq(st.type, FS_T_FILE);
	cr_assert_eq(st.nlink, 1);
	cr_assert_eq(fsw_used_blocks(&rd), before + 3);
	/* A write in the middle, past the end (a hole), a read at the end. */
	cr_assert_eq(fsops_open(ROOT, P("/a"), FS_O_RDWR, &st), ERR_OK);
	cr_assert_eq(fsops_write(st.inum, 5000, "xyz", 3), ERR_OK);
	cr_assert_eq(fsops_write(st.inum, 20000, "end", 3), ERR_OK);
	cr_assert_eq(fsops_read(st.inum, 20003, back, 10, &n), ERR_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(fsops_read(st.inum, 12000, back, 8, &n), ERR_OK);
	cr_assert_eq(n, 8);
	cr_assert_eq(memcmp(back, "\0\0\0\0\0\0\0\0", 8), 0);
	cr_assert_eq(fsops_read(st.inum, 4999, back, 5, &n), ERR_OK);
	cr_assert_eq(memcmp(back, (char[]){ (char)buf[4999], 'x', 'y', 'z', (char)buf[5003] }, 5), 0);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	cr_assert_eq(fsops_unlink(ROOT, P("/a")), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/a"), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsw_used_blocks(&rd), before, "unlink gives every block back");
	assert_clean();
}

Test(fs, truncate_on_open_empties_a_file)
{
	struct fs_stat st;
	size_t n;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsw_put("/t", "hello", 5), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/t"), FS_O_WRONLY | FS_O_TRUNC, &st), ERR_OK);
	cr_assert_eq(st.size, 0);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	cr_assert_eq(fsw_get("/t", back, sizeof(back), &n), ERR_OK);
	cr_assert_eq(n, 0);
	/* O_CREATE of an existing file opens it as it is. */
	cr_assert_eq(fsw_put("/t", "abc", 3), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/t"), FS_O_RDONLY | FS_O_CREATE, &st), ERR_OK);
	cr_assert_eq(st.size, 3);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	assert_clean();
}

/* 64 MiB through the doubly indirect block, read back; then gone. */
Test(fs, a_64_mib_file_uses_the_doubly_indirect_block, .timeout = 60)
{
	const uint64_t size = 64ull << 20;
	struct fs_stat st;
	uint64_t at;
	size_t n;
	uint32_t before;

	fsw_format(&rd, (80u << 20) / FS_BSIZE, 64);
	before = fsw_used_blocks(&rd);
	cr_assert_eq(fsops_open(ROOT, P("/big"), FS_O_RDWR | FS_O_CREATE, &st), ERR_OK);
	for (at = 0; at < size; at += FS_IO_MAX) {
		fsw_fill(buf, FS_IO_MAX, 5, at);
		cr_assert_eq(fsops_write(st.inum, at, buf, FS_IO_MAX), ERR_OK, "write at %lu",
			     (unsigned long)at);
	}
	cr_assert_eq(fsops_fstat(st.inum, &st), ERR_OK);
	cr_assert_eq(st.size, size);
	for (at = 0; at < size; at += 1 << 20) {
		fsw_fill(buf, 1 << 20, 5, at);
		for (size_t off = 0; off < (1 << 20); off += FS_IO_MAX) {
			cr_assert_eq(fsops_read(st.inum, at + off, back + off, FS_IO_MAX, &n), ERR_OK);
			cr_assert_eq(n, FS_IO_MAX);
		}
		cr_assert_eq(memcmp(buf, back, 1 << 20), 0, "MiB at %lu", (unsigned long)at);
	}
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	assert_clean();
	cr_assert_eq(fsops_unlink(ROOT, P("/big")), ERR_OK);
	cr_assert_eq(fsw_used_blocks(&rd), before);
	assert_clean();
}

Test(fs, directories_nest_list_and_must_be_empty_to_go)
{
	struct fs_dirent e[8];
	struct fs_stat st, dst;
	uint64_t off = 0;
	unsigned n;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsops_mkdir(ROOT, P("/a")), ERR_OK);
	cr_assert_eq(fsops_mkdir(ROOT, P("/a/b")), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/a"), 1, &st), ERR_OK);
	cr_assert_eq(st.nlink, 2, "its entry in / and the \"..\" of b");
	cr_assert_eq(fsw_put("/a/b/f", "x", 1), ERR_OK);
	/* Paths relative to a directory the client holds, and "..". */
	cr_assert_eq(fsops_stat(ROOT, P("/a/b"), 1, &dst), ERR_OK);
	cr_assert_eq(fsops_stat(dst.inum, P("f"), 1, &st), ERR_OK);
	cr_assert_eq(st.size, 1);
	cr_assert_eq(fsops_stat(dst.inum, P("../b/./f"), 1, &st), ERR_OK);
	cr_assert_eq(fsops_stat(dst.inum, P("/a"), 1, &st), ERR_OK);
	cr_assert_eq(fsops_readdir(dst.inum, &off, e, 8, &n), ERR_OK);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(e[2].name, "f");
	cr_assert_eq(fsops_unlink(ROOT, P("/a/b")), ERR_NOT_EMPTY);
	cr_assert_eq(fsops_unlink(ROOT, P("/a/b/f")), ERR_OK);
	cr_assert_eq(fsops_unlink(ROOT, P("/a/b/.")), ERR_INVALID_ARGUMENT);
	cr_assert_eq(fsops_unlink(ROOT, P("/a/b/..")), ERR_INVALID_ARGUMENT);
	cr_assert_eq(fsops_unlink(ROOT, P("/a/b")), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/a"), 1, &st), ERR_OK);
	cr_assert_eq(st.nlink, 1);
	cr_assert_eq(fsops_unlink(ROOT, P("/")), ERR_INVALID_ARGUMENT);
	assert_clean();
}

Test(fs, a_directory_grows_past_one_block)
{
	char name[16];
	struct fs_stat st;
	unsigned i;

	fsw_format(&rd, 2048, 1024);
	cr_assert_eq(fsops_mkdir(ROOT, P("/many")), ERR_OK);
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "/many/n%u", i);
		cr_assert_eq(fsw_put(name, name, strlen(name)), ERR_OK);
	}
	cr_assert_eq(fsops_stat(ROOT, P("/many"), 1, &st), ERR_OK);
	cr_assert_eq(st.size, 602 * sizeof(struct fs_dirent));
	cr_assert_eq(fsops_stat(ROOT, P("/many/n599"), 1, &st), ERR_OK);
	cr_assert_eq(st.size, 10);
	assert_clean();
}

Test(fs, symlinks_are_followed_and_loops_are_errors)
{
	struct fs_stat st;
	char target[64];
	size_t n;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsops_mkdir(ROOT, P("/d")), ERR_OK);
	cr_assert_eq(fsw_put("/d/file", "content", 7), ERR_OK);
	cr_assert_eq(fsops_symlink(ROOT, P("/d/file"), P("/abs")), ERR_OK);
	cr_assert_eq(fsops_symlink(ROOT, P("file"), P("/d/rel")), ERR_OK);
	cr_assert_eq(fsops_symlink(ROOT, P("d"), P("/dirlink")), ERR_OK);
	cr_assert_eq(fsw_get("/abs", back, sizeof(back), &n), ERR_OK);
	cr_assert_eq(n, 7);
	cr_assert_eq(fsw_get("/d/rel", back, sizeof(back), &n), ERR_OK);
	cr_assert_eq(n, 7);
	cr_assert_eq(fsw_get("/dirlink/rel", back, sizeof(back), &n), ERR_OK, "a link mid-path");
	cr_assert_eq(memcmp(back, "content", 7), 0);
	cr_assert_eq(fsops_stat(ROOT, P("/abs"), 0, &st), ERR_OK);
	cr_assert_eq(st.type, FS_T_SYMLINK);
	cr_assert_eq(fsops_readlink(ROOT, P("/d/rel"), target, sizeof(target), &n), ERR_OK);
	cr_assert_eq(n, 4);
	cr_assert_eq(memcmp(target, "file", 4), 0);
	cr_assert_eq(fsops_open(ROOT, P("/abs"), FS_O_RDONLY | FS_O_NOFOLLOW, &st), ERR_OK);
	cr_assert_eq(st.type, FS_T_SYMLINK);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	/* a -> b -> a, and a chain one longer than the limit. */
	cr_assert_eq(fsops_symlink(ROOT, P("/loopb"), P("/loopa")), ERR_OK);
	cr_assert_eq(fsops_symlink(ROOT, P("/loopa"), P("/loopb")), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/loopa"), FS_O_RDONLY, &st), ERR_LOOP);
	cr_assert_eq(fsops_stat(ROOT, P("/loopa/x"), 1, &st), ERR_LOOP);
	cr_assert_eq(fsops_symlink(ROOT, P("/loopa"), P("/self")), ERR_OK);
	cr_assert_eq(fsops_symlink(ROOT, P("/self"), P("/self")), ERR_EXISTS);
	for (unsigned i = 0; i <= FS_MAXSYMLINKS; i++) {
		char from[16], to[16];

		snprintf(from, sizeof(from), "/c%u", i);
		snprintf(to, sizeof(to), i ? "/c%u" : "/d/file", i - 1);
		cr_assert_eq(fsops_symlink(ROOT, P(to), P(from)), ERR_OK);
	}
	cr_assert_eq(fsops_stat(ROOT, P("/c7"), 1, &st), ERR_OK, "8 links is the limit");
	cr_assert_eq(fsops_stat(ROOT, P("/c8"), 1, &st), ERR_LOOP);
	cr_assert_eq(fsops_symlink(ROOT, P("/nowhere"), P("/dangling")), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/dangling"), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsops_unlink(ROOT, P("/dangling")), ERR_OK);
	assert_clean();
}

Test(fs, hard_links_count_and_outlive_names)
{
	struct fs_stat st;
	size_t n;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsw_put("/x", "data", 4), ERR_OK);
	cr_assert_eq(fsops_link(ROOT, P("/x"), P("/y")), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/y"), 1, &st), ERR_OK);
	cr_assert_eq(st.nlink, 2);
	cr_assert_eq(fsops_link(ROOT, P("/x"), P("/y")), ERR_EXISTS);
	cr_assert_eq(fsops_mkdir(ROOT, P("/dir")), ERR_OK);
	cr_assert_eq(fsops_link(ROOT, P("/dir"), P("/dir2")), ERR_IS_DIRECTORY);
	cr_assert_eq(fsops_unlink(ROOT, P("/x")), ERR_OK);
	cr_assert_eq(fsw_get("/y", back, sizeof(back), &n), ERR_OK);
	cr_assert_eq(n, 4);
	assert_clean();
}

Test(fs, device_files_say_what_device)
{
	struct fs_stat st;
	size_t n;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsops_mknod(ROOT, P("/console"), 1, 2), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/console"), FS_O_RDWR, &st), ERR_OK);
	cr_assert_eq(st.type, FS_T_DEVICE);
	cr_assert_eq(st.major, 1);
	cr_assert_eq(st.minor, 2);
	cr_assert_eq(fsops_read(st.inum, 0, back, 1, &n), ERR_INVALID_OPERATION);
	cr_assert_eq(fsops_write(st.inum, 0, "x", 1), ERR_INVALID_OPERATION);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	cr_assert_eq(fsops_mknod(ROOT, P("/console"), 1, 2), ERR_EXISTS);
	assert_clean();
}

Test(fs, bad_paths_get_clear_errors)
{
	struct fs_stat st;

	fsw_format(&rd, 1024, 64);
	cr_assert_eq(fsw_put("/file", "x", 1), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, P("/nope"), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsops_stat(ROOT, P("/nope/x"), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsops_stat(ROOT, P(""), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsops_stat(ROOT, P("/file/x"), 1, &st), ERR_NOT_DIRECTORY);
	cr_assert_eq(fsops_mkdir(ROOT, P("/file/x")), ERR_NOT_DIRECTORY);
	cr_assert_eq(fsops_stat(ROOT, P("/fifteen_chars_x"), 1, &st), ERR_NAME_TOO_LONG);
	cr_assert_eq(fsops_mkdir(ROOT, P("/fifteen_chars_x")), ERR_NAME_TOO_LONG);
	cr_assert_eq(fsops_mkdir(ROOT, P("/fourteen_chars")), ERR_OK, "14 bytes fit");
	cr_assert_eq(fsops_stat(ROOT, P("fourteen_chars"), 1, &st), ERR_OK);
	cr_assert_eq(fsops_stat(ROOT, "a\0b", 3, 1, &st), ERR_INVALID_ARGUMENT);
	memset(buf, 'a', FS_MAXPATH + 1);
	cr_assert_eq(fsops_stat(ROOT, (char *)buf, FS_MAXPATH + 1, 1, &st), ERR_NAME_TOO_LONG);
	cr_assert_eq(fsops_mkdir(ROOT, P("/file")), ERR_EXISTS);
	cr_assert_eq(fsops_open(ROOT, P("/"), FS_O_RDWR, &st), ERR_IS_DIRECTORY);
	cr_assert_eq(fsops_open(ROOT, P("/fourteen_chars"), FS_O_WRONLY, &st), ERR_IS_DIRECTORY);
	cr_assert_eq(fsops_write(ROOT, 0, "x", 1), ERR_IS_DIRECTORY);
	cr_assert_eq(fsops_open(ROOT, P("/file"), 0x8000, &st), ERR_INVALID_ARGUMENT);
	cr_assert_eq(fsops_open(ROOT, P("/file"), FS_O_ACCMODE, &st), ERR_INVALID_ARGUMENT);
	cr_assert_eq(fsops_unlink(ROOT, P("/nope")), ERR_NOT_FOUND);
	assert_clean();
}

Test(fs, a_full_disk_fails_the_write_and_changes_nothing)
{
	struct fs_stat st, after;
	uint64_t at = 0;
	uint32_t used;
	int err = ERR_OK;

	fsw_format(&rd, 300, 64);
	cr_assert_eq(fsops_open(ROOT, P("/fill"), FS_O_RDWR | FS_O_CREATE, &st), ERR_OK);
	fsw_fill(buf, FS_IO_MAX, 9, 0);
	while ((err = fsops_write(st.inum, at, buf, FS_IO_MAX)) == ERR_OK)
		at += FS_IO_MAX;
	cr_assert_eq(err, ERR_NO_SPACE);
	used = fsw_used_blocks(&rd);
	cr_assert_eq(fsops_fstat(st.inum, &after), ERR_OK);
	cr_assert_eq(after.size, at, "the failed write left the size alone");
	cr_assert_eq(fsops_write(st.inum, at, buf, FS_IO_MAX), ERR_NO_SPACE);
	cr_assert_eq(fsw_used_blocks(&rd), used, "and took no block");
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	assert_clean();
	/* Smaller writes still fill what is left, to the last block. */
	cr_assert_eq(fsops_open(ROOT, P("/fill"), FS_O_RDWR, &st), ERR_OK);
	while ((err = fsops_write(st.inum, at, buf, FS_BSIZE)) == ERR_OK)
		at += FS_BSIZE;
	cr_assert_eq(err, ERR_NO_SPACE);
	cr_assert_eq(fsw_used_blocks(&rd), ((struct fs_superblock *)(rd.image + FS_BSIZE))->nblocks);
	cr_assert_eq(fsops_mkdir(ROOT, P("/d")), ERR_NO_SPACE);
	cr_assert_eq(fsops_stat(ROOT, P("/d"), 1, &after), ERR_NOT_FOUND, "mkdir left nothing");
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	assert_clean();
}

Test(fs, a_full_inode_table_is_an_error)
{
	char name[16];
	struct fs_stat st;
	unsigned i;

	fsw_format(&rd, 1024, 32);
	for (i = 0; i < 30; i++) {            /* inodes 2..31: inode 0 is never used, 1 is / */
		snprintf(name, sizeof(name), "/f%u", i);
		cr_assert_eq(fsw_put(name, "", 0), ERR_OK, "file %u", i);
	}
	cr_assert_eq(fsops_open(ROOT, P("/one_more"), FS_O_RDWR | FS_O_CREATE, &st), ERR_NO_INODES);
	cr_assert_eq(fsops_mkdir(ROOT, P("/dir")), ERR_NO_INODES);
	cr_assert_eq(fsops_stat(ROOT, P("/one_more"), 1, &st), ERR_NOT_FOUND);
	cr_assert_eq(fsops_unlink(ROOT, P("/f3")), ERR_OK);
	cr_assert_eq(fsops_mkdir(ROOT, P("/dir")), ERR_OK, "a freed inode is used again");
	assert_clean();
}

Test(fs, an_unlinked_open_file_lives_until_its_last_close)
{
	struct fs_stat st;
	uint32_t before;
	size_t n;

	fsw_format(&rd, 1024, 64);
	before = fsw_used_blocks(&rd);
	cr_assert_eq(fsw_put("/tmp", "still here", 10), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/tmp"), FS_O_RDONLY, &st), ERR_OK);
	cr_assert_eq(fsops_unlink(ROOT, P("/tmp")), ERR_OK);
	cr_assert_eq(fsops_read(st.inum, 0, back, 10, &n), ERR_OK);
	cr_assert_eq(n, 10);
	cr_assert_eq(memcmp(back, "still here", 10), 0);
	cr_assert_neq(fsw_used_blocks(&rd), before);
	cr_assert_eq(fsops_close(st.inum), ERR_OK);
	cr_assert_eq(fsw_used_blocks(&rd), before);
	assert_clean();
}

Test(fs, a_crash_with_an_unlinked_open_file_leaves_an_orphan_that_mount_frees)
{
	struct fs_stat st;
	struct fsck_report r;
	uint32_t before;
	uint8_t *copy;

	fsw_format(&rd, 1024, 64);
	before = fsw_used_blocks(&rd);
	cr_assert_eq(fsw_put("/tmp", "x", 1), ERR_OK);
	cr_assert_eq(fsops_open(ROOT, P("/tmp"), FS_O_RDONLY, &st), ERR_OK);
	cr_assert_eq(fsops_unlink(ROOT, P("/tmp")), ERR_OK);
	copy = malloc((size_t)rd.nblocks * FS_BSIZE);
	memcpy(copy, rd.image, (size_t)rd.nblocks * FS_BSIZE);
	cr_assert_eq(fsck_image(copy, rd.nblocks, &r, NULL), 0);
	cr_assert_eq(r.orphans, 1);
	free(copy);
	cr_assert_eq(fsops_mount(&rd.bdev), ERR_OK, "the power came back");
	cr_assert_eq(fsw_used_blocks(&rd), before);
	assert_clean();
}

Test(fs, every_commit_is_in_the_log_first)
{
	unsigned long before;

	fsw_format(&rd, 1024, 64);
	before = log_commits();
	rd.writes = rd.flushes = 0;
	cr_assert_eq(fsw_put("/f", "x", 1), ERR_OK);
	cr_assert_eq(log_commits(), before + 2, "the create and the write: one commit each");
	/* Per commit: n log blocks, the header, n homes, the cleared header;
	 * a flush after each of the four steps. */
	cr_assert_eq(rd.flushes, 8);
	cr_assert_eq(fsops_stat(ROOT, P("/f"), 1, &(struct fs_stat){ 0 }), ERR_OK);
	cr_assert_eq(log_commits(), before + 2, "a stat writes nothing");
}
