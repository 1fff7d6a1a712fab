/*
 * fs_corrupt_test.c - the fs on damaged images: 200 copies of a populated
 * image, each damaged at random (bit flips in metadata, pointers out of
 * range or into the metadata, directory loops, symlink loops, garbage
 * blocks), are mounted, walked, read and changed. Every call must return,
 * with an error where the damage lies; nothing may crash or hang (the
 * test's timeout). fsck is run on each too, and must find damage in at
 * least half of them.
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
#define IMAGES 200

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (uint32_t)((rng >> 33) % n) : 0;
}

static const struct fs_superblock *sb_of(const uint8_t *image)
{
	return (const struct fs_superblock *)(image + FS_SUPER_BLOCK * FS_BSIZE);
}

/* A block the fs reads as metadata or directory contents: the
 * superblock, the log header, inodes, bitmap, or one of the blocks of an
 * allocated directory or indirect block. */
static uint32_t metadata_block(const uint8_t *image)
{
	const struct fs_superblock *sb = sb_of(image);

	for (;;) {
		uint32_t inum = 1 + rnd(sb->ninodes - 1);
		const struct fs_dinode *d =
			(const struct fs_dinode *)(image + (size_t)fs_inode_block(sb, inum) * FS_BSIZE) +
			inum % FS_IPB;

		switch (rnd(4)) {
		case 0: return rnd(2) ? FS_SUPER_BLOCK : sb->logstart;
		case 1: return sb->inodestart + rnd(sb->bmapstart - sb->inodestart);
		case 2: return sb->bmapstart + rnd(sb->datastart - sb->bmapstart);
		default:
			if (d->type == FS_T_DIR && d->addrs[0])
				return d->addrs[0];
			if (d->type == FS_T_FILE && d->addrs[FS_ADDR_IND + rnd(2)])
				return d->addrs[FS_ADDR_IND + rnd(2)] ? d->addrs[FS_ADDR_IND] : sb->inodestart;
		}
	}
}

static struct fs_dinode *some_inode(uint8_t *image, uint16_t type)
{
	const struct fs_superblock *sb = sb_of(image);

	for (unsigned tries = 0;; tries++) {
		uint32_t inum = 1 + rnd(sb->ninodes - 1);
		struct fs_dinode *d =
			(struct fs_dinode *)(image + (size_t)fs_inode_block(sb, inum) * FS_BSIZE) +
			inum % FS_IPB;

		if (d->type == type || (d->type != FS_T_FREE && (type == 0 || tries > 1000)))
			return d;
	}
}

/* Damage the image in the way `kind` picks. */
static void damage(uint8_t *image, unsigned kind)
{
	const struct fs_superblock *sb = sb_of(image);
	uint32_t block = metadata_block(image), n, i;
	struct fs_dinode *d;
	struct fs_dirent *e;

	switch (kind % 7) {
	case 0:                                   /* bit flips in metadata */
		for (n = 1 + rnd(8), i = 0; i < n; i++)
			image[(size_t)block * FS_BSIZE + rnd(FS_BSIZE)] ^= (uint8_t)(1u << rnd(8));
		break;
	case 1:                                   /* a pointer out of range or into metadata */
		d = some_inode(image, rnd(2) ? FS_T_FILE : FS_T_DIR);
		d->addrs[rnd(FS_NDIRECT + 2)] = rnd(2) ? sb->size + rnd(1u << 30) : rnd(sb->datastart);
		break;
	case 2:                                   /* a directory entry naming an ancestor */
		d = some_inode(image, FS_T_DIR);
		e = (struct fs_dirent *)(image + (size_t)d->addrs[0] * FS_BSIZE) + 2 + rnd(3);
		e->inum = (uint16_t)(rnd(2) ? FS_ROOT_INUM : 2);
		memcpy(e->name, "loop", 5);
		break;
	case 3:                                   /* a symlink pointing at itself */
		d = some_inode(image, FS_T_SYMLINK);
		if (d->type == FS_T_SYMLINK && d->addrs[0]) {
			memcpy(image + (size_t)d->addrs[0] * FS_BSIZE, "/d/link", 7);
			d->size = 7;
		}
		break;
	case 4:                                   /* impossible inode fields */
		d = some_inode(image, 0);
		switch (rnd(4)) {
		case 0: d->size = ((uint64_t)rnd(~0u) << 32) | rnd(~0u); break;
		case 1: d->nlink = 0; break;
		case 2: d->type = (uint16_t)rnd(8); break;
		default: d->size = FS_MAXDIRSIZE + rnd(1 << 20); break;
		}
		break;
	case 5:                                   /* a block of garbage */
		for (i = 0; i < FS_BSIZE; i++)
			image[(size_t)block * FS_BSIZE + i] = (uint8_t)rnd(256);
		break;
	default:                                  /* an indirect block full of wild pointers */
		d = some_inode(image, FS_T_FILE);
		if (d->addrs[FS_ADDR_DIND] && fs_block_is_data(sb, d->addrs[FS_ADDR_DIND]))
			block = d->addrs[FS_ADDR_DIND];
		else if (d->addrs[FS_ADDR_IND] && fs_block_is_data(sb, d->addrs[FS_ADDR_IND]))
			block = d->addrs[FS_ADDR_IND];
		for (i = 0; i < 32; i++)
			((uint32_t *)(image + (size_t)block * FS_BSIZE))[rnd(FS_NINDIRECT)] = rnd(~0u);
		break;
	}
}

/* Count a call's result: ERR_BAD_FORMAT is the fs reporting the damage. */
static unsigned reported(int err)
{
	return err == ERR_BAD_FORMAT;
}

/* Everything a client might do on a damaged file system. Returns how many
 * calls reported damage (ERR_BAD_FORMAT); any other result is allowed. */
static unsigned exercise(void)
{
	static uint8_t data[FS_IO_MAX];
	const char *paths[] = { "/small", "/d/indirect", "/d/e/doubly", "/d/link", "/d/f7", "/console",
				"/d/e", "/d/loop", "/loop/loop/loop" };
	unsigned bad = 0, walk_errors;
	struct fs_stat st;
	size_t done;
	int err;

	fsw_digest(512, &walk_errors);
	bad += walk_errors;
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if ((err = fsops_open(ROOT, P(paths[i]), FS_O_RDWR, &st)) != ERR_OK) {
			bad += reported(err);
			continue;
		}
		bad += reported(fsops_read(st.inum, rnd(1 << 22), data, sizeof(data), &done));
		bad += reported(fsops_write(st.inum, rnd(1 << 22), data, 1 + rnd(sizeof(data))));
		bad += reported(fsops_close(st.inum));
	}
	bad += reported(fsops_unlink(ROOT, P("/d/f3")));
	bad += reported(fsops_unlink(ROOT, P("/d/e/doubly")));
	bad += reported(fsops_mkdir(ROOT, P("/d/e/new")));
	bad += reported(fsw_put("/d/new", data, 70000));
	bad += reported(fsops_symlink(ROOT, P("/d/new"), P("/d/e/new/s")));
	fsw_digest(512, &walk_errors);
	return bad + walk_errors;
}

Test(fs_corrupt, damaged_images_give_errors_never_a_crash, .timeout = 300)
{
	struct ramdisk rd;
	struct fsck_report r;
	size_t bytes;
	uint8_t *base;
	unsigned seen_by_fsck = 0, refused = 0, erred = 0;

	fsw_format(&rd, 2048, 128);
	fsw_populate();
	bytes = (size_t)rd.nblocks * FS_BSIZE;
	base = malloc(bytes);
	memcpy(base, rd.image, bytes);
	for (unsigned i = 0; i < IMAGES; i++) {
		rng = i + 1;
		memcpy(rd.image, base, bytes);
		damage(rd.image, i);
		{
			uint8_t *copy = malloc(bytes);

			memcpy(copy, rd.image, bytes);
			seen_by_fsck += fsck_image(copy, rd.nblocks, &r, NULL) != 0;
			free(copy);
		}
		if (fsops_mount(&rd.bdev) != ERR_OK) {
			refused++;
			continue;
		}
		erred += exercise() != 0;
		/* What it wrote must not make things worse than a mount can take. */
		if (fsops_mount(&rd.bdev) == ERR_OK)
			exercise();
	}
	/* Not every damage matters (a flipped bit in a free inode or past the
	 * log header's entries harms nothing), so neither count reaches 200;
	 * and the fs trips over less than fsck finds: it never reads the
	 * bitmap of blocks it does not allocate, nor counts links. */
	cr_log_info("%u damaged images: fsck found damage in %u; the fs refused %u at mount and "
		    "reported damage (ERR_BAD_FORMAT) on %u more\n", IMAGES, seen_by_fsck, refused,
		    erred);
	cr_assert_geq(seen_by_fsck, IMAGES / 2, "fsck found damage in only %u", seen_by_fsck);
	cr_assert_gt(refused, 0);
	cr_assert_geq(refused + erred, IMAGES / 5);
	free(base);
	ramdisk_destroy(&rd);
}
