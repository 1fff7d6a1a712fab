/*
 * test_fscorrupt.c - the guest slice of the corrupt-image tests (the host
 * runs 200 in fs_corrupt_test.c): plays root (fsroot.h) on a copy of
 * build/fs.img and, for each of DAMAGES rounds, damages one metadata block
 * of the disk through the block driver (the superblock, the log header,
 * the root's inode block, the bitmap, the root directory; bit flips,
 * garbage, a wild inode number), starts a new fs on it, walks the whole
 * root directory (stat, open and read every entry), puts the block back,
 * and goes on. The fs may refuse or report damage; it must never die.
 */
#define CHECK_NAME "test_fscorrupt"
#include "check.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"
#include "fs_format.h"
#include "str.h"

#define DAMAGES 12

static struct fs_client *c = &fsroot.c;
static struct blk_client raw;
static cptr_t raw_frames[2];
static uint8_t *raw_buf, saved[FS_BSIZE];
static uint64_t rng = 0x853c49e6748fea9bull;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rng >> 33) % n;
}

static int block_io(int write, uint32_t block)
{
	return write ? blk_write(&raw, (uint64_t)block * 8, 8, raw_buf)
		     : blk_read(&raw, (uint64_t)block * 8, 8, raw_buf);
}

/* Stat, open and read every entry of the root: how many calls reported
 * damage (ERR_BAD_FORMAT, or the mount's refusal). */
static unsigned walk(void)
{
	uint8_t names[64 * 16];
	unsigned n = 0, i, bad = 0;
	uint64_t h, d;
	int err = fs_open(c, FS_HANDLE_ROOT, "/", FS_O_RDONLY, &d, NULL);

	if (err == ERR_OK)
		err = fs_readdir(c, d, names, 64, &n);
	bad += err != ERR_OK;
	for (i = 0; i < n; i++) {
		char path[FS_DIRSIZ + 2] = "/";
		struct fs_stat st;
		size_t done = 1;
		uint64_t at = 0;

		memcpy(path + 1, names + 16 * i + 2, FS_DIRSIZ);
		bad += fs_stat(c, FS_HANDLE_ROOT, path, 1, &st) == ERR_BAD_FORMAT;
		if ((err = fs_open(c, FS_HANDLE_ROOT, path, FS_O_RDONLY, &h, NULL)) != ERR_OK) {
			bad += err == ERR_BAD_FORMAT;
			continue;
		}
		while (err == ERR_OK && done > 0 && at < (4u << 20)) {
			err = fs_read(c, h, c->buf, FS_IO_MAX, at, &done);
			at += done;
		}
		bad += err == ERR_BAD_FORMAT;
		fs_close(c, h);
	}
	if (d)
		fs_close(c, d);
	return bad;
}

int main(const struct bootinfo *bi)
{
	struct fs_superblock sb;
	struct fs_dinode root;
	unsigned k, refused = 0, reported = 0;
	cptr_t ep;

	check("start the block driver and the fs", fsroot_start(bi, BLK_ARG_QUIET, FS_ARG_QUIET),
	      ERR_OK);
	check("a raw client of the driver", blkdrv_client_ep(&fsroot.blk, &fsroot.pool, 3, &ep) ||
	      blkdrv_buffer(&fsroot.pool, 2, &raw_buf, raw_frames) ||
	      blk_connect(&raw, ep, raw_buf, raw_frames, 2), ERR_OK);
	check("the clean image walks without errors", walk(), 0);
	check("read the superblock", block_io(0, FS_SUPER_BLOCK), ERR_OK);
	memcpy(&sb, raw_buf, sizeof(sb));
	check("read the root's inode", block_io(0, fs_inode_block(&sb, FS_ROOT_INUM)), ERR_OK);
	memcpy(&root, (struct fs_dinode *)raw_buf + FS_ROOT_INUM % FS_IPB, sizeof(root));
	for (k = 0; k < DAMAGES; k++) {
		const uint32_t targets[] = { FS_SUPER_BLOCK, sb.logstart, fs_inode_block(&sb, FS_ROOT_INUM),
					     sb.bmapstart, root.addrs[0] };
		uint32_t block = targets[k % 5];
		unsigned i, bad;
		int err;

		if (block_io(0, block) != ERR_OK)
			break;
		memcpy(saved, raw_buf, FS_BSIZE);
		if (k % 3 == 0) {
			for (i = 0; i < 16; i++)
				raw_buf[rnd(k % 5 == 1 ? 512 : 256)] ^= (uint8_t)(1u << rnd(8));
		} else if (k % 3 == 1) {
			for (i = 0; i < FS_BSIZE; i++)
				raw_buf[i] = (uint8_t)rnd(256);
		} else {                  /* wild numbers where the fs will follow them */
			for (i = 0; i < 32; i++)
				((uint16_t *)raw_buf)[rnd(512)] = (uint16_t)(60000 + rnd(5000));
		}
		block_io(1, block);
		err = fsroot_restart_fs(FS_ARG_QUIET);
		bad = walk();
		refused += fs_stat(c, FS_HANDLE_ROOT, "/", 1, &(struct fs_stat){ 0 }) != ERR_OK;
		reported += bad != 0;
		printf("test_fscorrupt: damage %u (block %u): restart %s, %u calls reported damage\n", k,
		       block, err_name(err), bad);
		memcpy(raw_buf, saved, FS_BSIZE);
		block_io(1, block);
	}
	check_eq("every damage was tried", k, DAMAGES);
	check_eq("the fs noticed damage on most of them", reported * 2 >= DAMAGES, 1);
	check_eq("and never died", fsroot.fs_died, 0);
	check("a new fs on the repaired disk", fsroot_restart_fs(FS_ARG_QUIET), ERR_OK);
	check_eq("walks it again with at most one error (a mount may free what damage left orphaned)",
		 walk() <= 1, 1);
	printf("test_fscorrupt: %u damaged images: the fs refused %u at mount, reported damage on %u,"
	       " died %d times\n", DAMAGES, refused, reported, fsroot.fs_died);
	fsroot_stop();
	return check_done();
}
