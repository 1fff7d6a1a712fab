/*
 * test_fs.c - the file system server in the guest, through the whole
 * stack (client stubs -> fs -> blk -> virtio disk). Plays root
 * (fsroot.h) on a copy of build/fs.img: the files mkfs put there; files
 * created, written, read back, unlinked; a file over 8 MiB; directories;
 * symbolic links and a loop of them; device files; every error the
 * protocol lists, bad requests among them; two clients; and the block
 * driver dying in the middle of writes (each fault kind in turn), after
 * which every byte must still be right.
 */
#define CHECK_NAME "test_fs"
#include "check.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"
#include "fs_format.h"
#include "fspattern.h"
#include "root_proto.h"
#include "str.h"

#define ROOT FS_HANDLE_ROOT
#define BIG (9ul << 20)              /* over 8 MiB */

static struct fs_client *c = &fsroot.c;

/* Write n bytes of pattern seed to path (created or truncated). */
static int put(const char *path, uint64_t n, unsigned seed)
{
	uint64_t h, at;
	int err = fs_open(c, ROOT, path, FS_O_WRONLY | FS_O_CREATE | FS_O_TRUNC, &h, NULL);

	for (at = 0; err == ERR_OK && at < n; at += FS_IO_MAX) {
		size_t len = n - at < FS_IO_MAX ? n - at : FS_IO_MAX;

		fspattern_fill(c->buf, len, seed, at);
		err = fs_write(c, h, c->buf, len, FS_OFF_HANDLE);
	}
	if (err == ERR_OK)
		err = fs_close(c, h);
	return err;
}

/* Read path through and count the bytes that are not pattern seed;
 * *size gets its size. */
static int get(const char *path, unsigned seed, uint64_t *size, uint64_t *bad)
{
	uint64_t h;
	size_t done = 1;
	int err = fs_open(c, ROOT, path, FS_O_RDONLY, &h, NULL);

	*size = *bad = 0;
	while (err == ERR_OK && done > 0) {
		err = fs_read(c, h, c->buf, FS_IO_MAX, FS_OFF_HANDLE, &done);
		*bad += fspattern_mismatches(c->buf, done, seed, *size);
		*size += done;
	}
	if (err == ERR_OK)
		err = fs_close(c, h);
	return err;
}

static void test_image(void)
{
	struct fs_stat st;
	uint64_t h;
	size_t done;
	unsigned n, i, programs = 0;

	check("stat /", fs_stat(c, ROOT, "/", 1, &st), ERR_OK);
	check_eq("/ is a directory", st.type, FS_T_DIR);
	check("open /", fs_open(c, ROOT, "/", FS_O_RDONLY, &h, NULL), ERR_OK);
	check("readdir /", fs_readdir(c, h, c->buf + 4096, 64, &n), ERR_OK);
	for (i = 0; i < n; i++) {
		const struct fs_dirent *e = (const struct fs_dirent *)(c->buf + 4096) + i;

		programs += strncmp(e->name, "fs", FS_DIRSIZ) == 0 || strncmp(e->name, "blk", 14) == 0 ||
			    strncmp(e->name, "root", FS_DIRSIZ) == 0;
	}
	check_eq("mkfs put root, blk and fs there", programs, 3);
	check("close /", fs_close(c, h), ERR_OK);
	check("open README", fs_open(c, ROOT, "README", FS_O_RDONLY, &h, &st), ERR_OK);
	check("read its first line", fs_read(c, h, c->buf, 6, 0, &done), ERR_OK);
	check_eq("it is the README", memcmp(c->buf, "# Mica", 6), 0);
	check("stat fs (the program)", fs_stat(c, ROOT, "/fs", 1, &st), ERR_OK);
	check_eq("an ELF of some KiB", st.size > 8192, 1);
	check("close README", fs_close(c, h), ERR_OK);
}

static void test_files(void)
{
	struct fs_stat st;
	uint64_t h, size, bad, pos;
	size_t done;

	check("create and write 10000 bytes", put("/a", 10000, 1), ERR_OK);
	check("read them back", get("/a", 1, &size, &bad), ERR_OK);
	check_eq("10000 bytes", size, 10000);
	check_eq("every one right", bad, 0);
	check("open for reading and writing", fs_open(c, ROOT, "/a", FS_O_RDWR, &h, &st), ERR_OK);
	check_eq("open says the size", st.size, 10000);
	check("pwrite at 20000 (a hole before it)", fs_write(c, h, "tail", 4, 20000), ERR_OK);
	check("fstat", fs_fstat(c, h, &st), ERR_OK);
	check_eq("the size grew", st.size, 20004);
	check("pread in the hole", fs_read(c, h, c->buf, 16, 12000, &done), ERR_OK);
	check_eq("zeros", c->buf[0] | c->buf[15], 0);
	check("seek to the end", fs_seek(c, h, -4, FS_SEEK_END, &pos), ERR_OK);
	check_eq("at 20000", pos, 20000);
	check("read at the handle's offset", fs_read(c, h, c->buf, 64, FS_OFF_HANDLE, &done), ERR_OK);
	check_eq("the 4 bytes at the end", done == 4 && memcmp(c->buf, "tail", 4) == 0, 1);
	check("and then the end of the file", fs_read(c, h, c->buf, 64, FS_OFF_HANDLE, &done), ERR_OK);
	check_eq("0 bytes", done, 0);
	check("close", fs_close(c, h), ERR_OK);
	check("a closed handle is gone", fs_close(c, h), ERR_INVALID_ARGUMENT);
	check("unlink", fs_unlink(c, ROOT, "/a"), ERR_OK);
	check("the name is gone", fs_stat(c, ROOT, "/a", 1, &st), ERR_NOT_FOUND);
	check("a hard link", put("/b", 300, 2) == ERR_OK ? fs_link(c, ROOT, "/b", "/b2") : -1, ERR_OK);
	check("stat through it", fs_stat(c, ROOT, "/b2", 1, &st), ERR_OK);
	check_eq("two links", st.nlink, 2);
	check("unlink one", fs_unlink(c, ROOT, "/b"), ERR_OK);
	check("the other reads", get("/b2", 2, &size, &bad), ERR_OK);
	check_eq("all 300 bytes right", size == 300 && bad == 0, 1);
	check("O_TRUNC empties it", fs_open(c, ROOT, "/b2", FS_O_RDWR | FS_O_TRUNC, &h, &st), ERR_OK);
	check_eq("size 0", st.size, 0);
	check("close", fs_close(c, h), ERR_OK);
}

static void test_big_file(void)
{
	uint64_t size, bad;

	check("write a 9 MiB file (the doubly indirect block)", put("/big", BIG, 3), ERR_OK);
	check("read it back", get("/big", 3, &size, &bad), ERR_OK);
	check_eq("9 MiB", size, BIG);
	check_eq("every byte right", bad, 0);
	check("unlink it", fs_unlink(c, ROOT, "/big"), ERR_OK);
}

static void test_dirs_and_links(void)
{
	struct fs_stat st;
	uint64_t h, size, bad;
	char target[64];
	unsigned n;

	check("mkdir /d", fs_mkdir(c, ROOT, "/d"), ERR_OK);
	check("mkdir /d/e", fs_mkdir(c, ROOT, "/d/e"), ERR_OK);
	check("a file in it", put("/d/e/f", 5000, 4), ERR_OK);
	check("open /d/e", fs_open(c, ROOT, "/d/e", FS_O_RDONLY, &h, NULL), ERR_OK);
	check("a path relative to the held directory", fs_stat(c, h, "f", 1, &st), ERR_OK);
	check_eq("finds f", st.size, 5000);
	check("and through ..", fs_stat(c, h, "../e/./f", 1, &st), ERR_OK);
	check("readdir /d/e", fs_readdir(c, h, c->buf + 8192, 16, &n), ERR_OK);
	check_eq(". .. f", n, 3);
	check("close", fs_close(c, h), ERR_OK);
	check("rmdir of a full directory", fs_unlink(c, ROOT, "/d/e"), ERR_NOT_EMPTY);
	check("a symlink to a file", fs_symlink(c, ROOT, "/d/e/f", "/sf"), ERR_OK);
	check("a relative symlink to a directory", fs_symlink(c, ROOT, "d/e", "/se"), ERR_OK);
	check("read through the first", get("/sf", 4, &size, &bad), ERR_OK);
	check_eq("the file's bytes", size == 5000 && bad == 0, 1);
	check("read through the second, mid-path", get("/se/f", 4, &size, &bad), ERR_OK);
	check_eq("the same bytes", size == 5000 && bad == 0, 1);
	check("lstat", fs_stat(c, ROOT, "/sf", 0, &st), ERR_OK);
	check_eq("a symlink", st.type, FS_T_SYMLINK);
	check("readlink", fs_readlink(c, ROOT, "/se", target, sizeof(target)), ERR_OK);
	check_eq("its target", strcmp(target, "d/e"), 0);
	check("a loop: /l1 -> /l2", fs_symlink(c, ROOT, "/l2", "/l1"), ERR_OK);
	check("/l2 -> /l1", fs_symlink(c, ROOT, "/l1", "/l2"), ERR_OK);
	check("open it", fs_open(c, ROOT, "/l1", FS_O_RDONLY, &h, NULL), ERR_LOOP);
	check("a path through it", fs_stat(c, ROOT, "/l2/x", 1, &st), ERR_LOOP);
	check("unlink the file", fs_unlink(c, ROOT, "/d/e/f"), ERR_OK);
	check("then the directory", fs_unlink(c, ROOT, "/d/e"), ERR_OK);
	check("a dangling symlink", fs_stat(c, ROOT, "/sf", 1, &st), ERR_NOT_FOUND);
	check("mknod /console", fs_mknod(c, ROOT, "/console", 1, 0), ERR_OK);
	check("open it", fs_open(c, ROOT, "/console", FS_O_RDWR, &h, &st), ERR_OK);
	check_eq("a device, major 1", st.type == FS_T_DEVICE && st.major == 1, 1);
	check("the fs does not read devices", fs_read(c, h, c->buf, 1, 0, (size_t[]){ 0 }),
	      ERR_INVALID_OPERATION);
	check("close", fs_close(c, h), ERR_OK);
}

static void test_errors(void)
{
	struct fs_stat st;
	struct ipc_msg m;
	uint64_t h, other;
	size_t done;

	check("a path that does not exist", fs_open(c, ROOT, "/no/such", FS_O_RDONLY, &h, NULL),
	      ERR_NOT_FOUND);
	check("a name too long", fs_mkdir(c, ROOT, "/fifteen_bytes_x"), ERR_NAME_TOO_LONG);
	check("through a file", fs_stat(c, ROOT, "/README/x", 1, &st), ERR_NOT_DIRECTORY);
	check("a directory for writing", fs_open(c, ROOT, "/d", FS_O_WRONLY, &h, NULL),
	      ERR_IS_DIRECTORY);
	check("mkdir over a name", fs_mkdir(c, ROOT, "/d"), ERR_EXISTS);
	check("link a directory", fs_link(c, ROOT, "/d", "/d2"), ERR_IS_DIRECTORY);
	check("unlink ..", fs_unlink(c, ROOT, "/d/.."), ERR_INVALID_ARGUMENT);
	check("bad open flags", fs_open(c, ROOT, "/README", 0x8000, &h, NULL), ERR_INVALID_ARGUMENT);
	check("open README read-only", fs_open(c, ROOT, "/README", FS_O_RDONLY, &h, NULL), ERR_OK);
	check("write on it", fs_write(c, h, "x", 1, 0), ERR_NO_RIGHTS);
	m = (struct ipc_msg){ .info = MSGINFO(FS_READ, 0, 4), .mr = { h, 4096, FS_IO_MAX - 100, 0 } };
	check("a read past the end of the buffer", ipc_call(c->ep, &m), ERR_OK);
	check_eq("gets ERR_BAD_ADDRESS", MSGINFO_LABEL(m.info), ERR_BAD_ADDRESS);
	m = (struct ipc_msg){ .info = MSGINFO(FS_READ, 0, 2), .mr = { h, 1 } };
	check("a short request", ipc_call(c->ep, &m), ERR_OK);
	check_eq("gets ERR_TRUNCATED", MSGINFO_LABEL(m.info), ERR_TRUNCATED);
	m = (struct ipc_msg){ .info = MSGINFO(999, 0, 0) };
	check("no such label", ipc_call(c->ep, &m), ERR_OK);
	check_eq("gets ERR_INVALID_OPERATION", MSGINFO_LABEL(m.info), ERR_INVALID_OPERATION);
	check("a handle that is no handle", fs_close(c, 7777), ERR_INVALID_ARGUMENT);
	{
		static struct fs_client c2;
		static cptr_t frames2[FS_MAX_PAGES];

		check("a second client connects", fsroot_connect(&c2, frames2, 2), ERR_OK);
		check("and cannot use the first's handle", fs_read(&c2, h, c2.buf, 1, 0, &done),
		      ERR_INVALID_ARGUMENT);
		check("but opens its own", fs_open(&c2, ROOT, "/README", FS_O_RDONLY, &other, NULL),
		      ERR_OK);
		check("a client revokes its buffer", cnode_revoke(BOOT_SLOT_CNODE, frames2[0]), ERR_OK);
		check("and its frame", cnode_delete(BOOT_SLOT_CNODE, frames2[0]), ERR_OK);
		m = (struct ipc_msg){ .info = MSGINFO(FS_READ, 0, 4), .mr = { other, 16, 0, 0 } };
		check("then reads into it", ipc_call(c2.ep, &m), ERR_OK);
		check_eq("ERR_BAD_ADDRESS, and the fs lives", MSGINFO_LABEL(m.info), ERR_BAD_ADDRESS);
	}
	check("FS_INJECT of no such fault", fs_inject(c, 9, 1, 0, NULL), ERR_INVALID_ARGUMENT);
	check("close", fs_close(c, h), ERR_OK);
	check("the fs is still there", fs_stat(c, ROOT, "/", 1, &st), ERR_OK);
}

/* The block driver dies in the middle of a write-heavy run, once for each
 * fault kind; the fs's calls wait for the new driver and go on. */
static void test_driver_restarts(void)
{
	static const unsigned kinds[] = { FAULT_NULL_POINTER, FAULT_WILD_POINTER, FAULT_ILLEGAL,
					  FAULT_EXIT };
	unsigned long before = fsroot.blk_restarts;
	uint64_t size, bad;
	unsigned i;

	for (i = 0; i < 4; i++) {
		char path[16] = "/restart0";

		path[8] = (char)('0' + i);
		check("arm the driver's death", fs_inject(c, FS_FAULT_KILL_DRIVER, 5 + 7 * i, kinds[i], NULL),
		      ERR_OK);
		check("write 200 KiB through it", put(path, 200 << 10, 10 + i), ERR_OK);
	}
	check_eq("the driver died 4 times and was restarted", fsroot.blk_restarts - before, 4);
	for (i = 0; i < 4; i++) {
		char path[16] = "/restart0";

		path[8] = (char)('0' + i);
		check("read each file back", get(path, 10 + i, &size, &bad), ERR_OK);
		check_eq("no data lost", size == (200 << 10) && bad == 0, 1);
	}
	printf("test_fs: driver restarts under the fs: %lu, data errors: 0 expected\n",
	       fsroot.blk_restarts - before);
}

int main(const struct bootinfo *bi)
{
	check("start the block driver and the fs",
	      fsroot_start(bi, SERVER_ARG_INJECT | BLK_ARG_QUIET, SERVER_ARG_INJECT), ERR_OK);
	test_image();
	test_files();
	test_big_file();
	test_dirs_and_links();
	test_errors();
	test_driver_restarts();
	check_eq("the fs never died", fsroot.fs_died, 0);
	fsroot_stop();
	return check_done();
}
