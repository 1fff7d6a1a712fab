/*
 * fsimage.c - an empty file system written block by block, then filled
 * through the fs's own operations (fsimage.h).
 *
 * Only the empty layout is made by hand here: the superblock, a bitmap
 * with the metadata blocks and the root directory's block marked used, and
 * the root directory holding "." and "..". Everything after that goes
 * through fsops_*, so an image made by mkfs is one the fs itself wrote.
 */
#include <string.h>

#include "errors.h"
#include "fs_format.h"
#include "fs_proto.h"
#include "fsimage.h"
#include "fsops.h"

int fsimage_format(struct ramdisk *rd, uint32_t ninodes)
{
	struct fs_superblock sb = { .magic = FS_MAGIC, .version = FS_VERSION, .size = rd->nblocks,
				    .ninodes = ninodes, .nlog = FS_LOGSIZE + 1, .logstart = 2 };
	struct fs_dinode *root;
	struct fs_dirent *dots;
	uint32_t b;

	if (ninodes <= FS_ROOT_INUM || ninodes > FS_MAX_INODES + 1)
		return ERR_RANGE;
	sb.inodestart = sb.logstart + sb.nlog;
	sb.bmapstart = sb.inodestart + (ninodes + FS_IPB - 1) / FS_IPB;
	sb.datastart = sb.bmapstart + (sb.size + FS_BSIZE * 8 - 1) / (FS_BSIZE * 8);
	if (sb.datastart + 1 >= sb.size)
		return ERR_RANGE;
	sb.nblocks = sb.size - sb.datastart;
	memset(rd->image, 0, (size_t)rd->nblocks * FS_BSIZE);
	memcpy(rd->image + FS_SUPER_BLOCK * FS_BSIZE, &sb, sizeof(sb));
	for (b = 0; b <= sb.datastart; b++)           /* metadata, and the root's block */
		rd->image[(size_t)fs_bitmap_block(&sb, b) * FS_BSIZE + b % (FS_BSIZE * 8) / 8] |=
			1u << (b % 8);
	root = (struct fs_dinode *)(rd->image + (size_t)fs_inode_block(&sb, FS_ROOT_INUM) * FS_BSIZE) +
	       FS_ROOT_INUM % FS_IPB;
	*root = (struct fs_dinode){ .type = FS_T_DIR, .nlink = 1, .size = 2 * sizeof(struct fs_dirent) };
	root->addrs[0] = sb.datastart;
	dots = (struct fs_dirent *)(rd->image + (size_t)sb.datastart * FS_BSIZE);
	dots[0] = (struct fs_dirent){ .inum = FS_ROOT_INUM, .name = "." };
	dots[1] = (struct fs_dirent){ .inum = FS_ROOT_INUM, .name = ".." };
	return fsops_mount(&rd->bdev);
}

int fsimage_add(const char *path, const void *data, size_t n)
{
	const char *slash;
	struct fs_stat st = { 0 };
	size_t done;
	int err;

	/* Make each directory on the way that is missing. */
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		err = fsops_mkdir(FS_ROOT_INUM, path, (size_t)(slash - path));
		if (err != ERR_OK && err != ERR_EXISTS)
			return err;
	}
	err = fsops_open(FS_ROOT_INUM, path, strlen(path), FS_O_WRONLY | FS_O_CREATE | FS_O_TRUNC, &st);
	for (done = 0; err == ERR_OK && done < n; done += FS_IO_MAX)
		err = fsops_write(st.inum, done, (const char *)data + done,
				  n - done < FS_IO_MAX ? n - done : FS_IO_MAX);
	if (st.inum && fsops_close(st.inum) != ERR_OK && err == ERR_OK)
		err = ERR_IO;
	return err;
}
