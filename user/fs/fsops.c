/*
 * fsops.c - the file system's operations (fsops.h), built on the layers
 * below: paths and directories (dir.h), inodes (inode.h), the block
 * allocator (bitmap.h), the log (log.h) and the buffer cache (bcache.h).
 *
 * Each operation that changes the disk runs between log_begin() and
 * fsops_end(), which commits it or, if any step failed, aborts it: an
 * operation never leaves half of itself behind, on the disk or in the
 * cache. The held-inode table records which unlinked inodes must live
 * until their last close.
 */
#include "fsops.h"
#include "bcache.h"
#include "bitmap.h"
#include "dir.h"
#include "errors.h"
#include "fs_proto.h"
#include "log.h"
#include "str.h"

static struct fs_superblock fsops_sb;

/* Inodes held by fsops_open() and how many times each. */
static struct {
	uint32_t inum, count;
} fsops_held[FS_OPEN_INODES];

static unsigned fsops_held_count(uint32_t inum)
{
	unsigned i;

	for (i = 0; i < FS_OPEN_INODES; i++)
		if (fsops_held[i].count && fsops_held[i].inum == inum)
			return fsops_held[i].count;
	return 0;
}

/* Commit the transaction if err is ERR_OK, else abort it; returns the
 * operation's result. */
static int fsops_end(int err)
{
	if (err == ERR_OK)
		return log_commit();
	log_abort();
	return err;
}

/* Whether the superblock describes regions that fit the disk and each
 * other, in the order fs_format.h gives. */
static int fsops_super_ok(const struct fs_superblock *sb, uint32_t disk_blocks)
{
	uint64_t inode_blocks = ((uint64_t)sb->ninodes + FS_IPB - 1) / FS_IPB;
	uint64_t bitmap_blocks = ((uint64_t)sb->size + FS_BSIZE * 8 - 1) / (FS_BSIZE * 8);

	return sb->magic == FS_MAGIC && sb->version == FS_VERSION && sb->size <= disk_blocks &&
	       sb->ninodes > FS_ROOT_INUM && sb->ninodes <= FS_MAX_INODES + 1 && sb->nlog >= 2 &&
	       sb->logstart > FS_SUPER_BLOCK && (uint64_t)sb->logstart + sb->nlog <= sb->inodestart &&
	       sb->inodestart + inode_blocks <= sb->bmapstart &&
	       sb->bmapstart + bitmap_blocks <= sb->datastart && sb->datastart < sb->size &&
	       sb->nblocks == sb->size - sb->datastart;
}

/* Free inum if no link and no holder is left. Inside a transaction. */
static int fsops_maybe_free(struct inode *ip)
{
	if (ip->d->nlink != 0 || fsops_held_count(ip->inum) != 0)
		return ERR_OK;
	return inode_free(ip);
}

/* After a crash, inodes that were unlinked while open still hold blocks:
 * free every allocated inode without links, each in its own transaction. */
static int fsops_free_orphans(void)
{
	struct inode ip;
	uint32_t inum;
	int err;

	for (inum = FS_ROOT_INUM + 1; inum < fsops_sb.ninodes; inum++) {
		if (inode_get(inum, &ip) != ERR_OK)
			continue;              /* a damaged inode: left to fsck */
		if (ip.d->type == FS_T_FREE || ip.d->nlink != 0) {
			inode_put(&ip);
			continue;
		}
		if ((err = log_begin()) == ERR_OK) {
			err = inode_free(&ip);
			inode_put(&ip);
			err = fsops_end(err);
		} else {
			inode_put(&ip);
		}
		if (err == ERR_IO)
			return err;
	}
	return ERR_OK;
}

int fsops_mount(const struct fs_bdev *dev)
{
	struct inode root;
	struct buf *b;
	int err;

	bcache_init(dev);
	memset(fsops_held, 0, sizeof(fsops_held));
	if ((err = buf_read(FS_SUPER_BLOCK, &b)) != ERR_OK)
		return err;
	memcpy(&fsops_sb, b->data, sizeof(fsops_sb));
	buf_put(b);
	if (!fsops_super_ok(&fsops_sb, dev->nblocks))
		return ERR_BAD_FORMAT;
	if ((err = log_init(&fsops_sb)) != ERR_OK)
		return err;
	bitmap_init(&fsops_sb);
	inode_init(&fsops_sb);
	if ((err = inode_get(FS_ROOT_INUM, &root)) != ERR_OK)
		return err == ERR_NOT_FOUND ? ERR_BAD_FORMAT : err;
	err = root.d->type == FS_T_DIR ? ERR_OK : ERR_BAD_FORMAT;
	inode_put(&root);
	return err == ERR_OK ? fsops_free_orphans() : err;
}

const struct fs_superblock *fsops_super(void)
{
	return &fsops_sb;
}

/* Make a new inode of `type` named by the last component of path, linked
 * into its directory, and leave it held in *ip. Inside a transaction. */
static int fsops_create(uint32_t dir, const char *path, size_t len, uint16_t type, struct inode *ip)
{
	char name[FS_DIRSIZ + 1];
	struct inode dp;
	size_t namelen;
	uint32_t parent, existing;
	int err = path_walk(dir, path, len, PATH_PARENT, &parent, name, &namelen);

	if (err != ERR_OK || (err = inode_get(parent, &dp)) != ERR_OK)
		return err;
	err = dir_lookup(&dp, name, namelen, &existing, NULL);
	if (err == ERR_OK)
		err = ERR_EXISTS;
	else if (err == ERR_NOT_FOUND)
		err = inode_alloc(type, ip);
	if (err != ERR_OK) {
		inode_put(&dp);
		return err;
	}
	ip->d->nlink = 1;
	if (type == FS_T_DIR) {
		/* ".." counts as a link to the parent; "." is not counted. */
		if (dp.d->nlink == UINT16_MAX)
			err = ERR_RANGE;
		else if ((err = dir_add(ip, ".", 1, ip->inum)) == ERR_OK &&
			 (err = dir_add(ip, "..", 2, parent)) == ERR_OK &&
			 (err = inode_dirty(&dp)) == ERR_OK)
			dp.d->nlink++;
	}
	if (err == ERR_OK)
		err = dir_add(&dp, name, namelen, ip->inum);
	inode_put(&dp);
	if (err != ERR_OK)
		inode_put(ip);
	return err;
}

int fsops_open(uint32_t dir, const char *path, size_t len, unsigned flags, struct fs_stat *st)
{
	unsigned i, slot = FS_OPEN_INODES;
	int writing = (flags & FS_O_ACCMODE) != FS_O_RDONLY;
	struct inode ip;
	uint32_t inum;
	int err;

	if ((flags & ~(FS_O_ACCMODE | FS_O_NOFOLLOW | FS_O_CREATE | FS_O_TRUNC)) != 0 ||
	    (flags & FS_O_ACCMODE) == FS_O_ACCMODE)
		return ERR_INVALID_ARGUMENT;
	for (i = 0; i < FS_OPEN_INODES && slot == FS_OPEN_INODES; i++)
		if (fsops_held[i].count == 0)
			slot = i;
	if (slot == FS_OPEN_INODES)
		return ERR_NO_MEMORY;
	if ((err = log_begin()) != ERR_OK)
		return err;
	err = path_walk(dir, path, len, flags & FS_O_NOFOLLOW ? PATH_NOFOLLOW : PATH_FOLLOW, &inum,
			NULL, NULL);
	if (err == ERR_OK)
		err = inode_get(inum, &ip);
	else if (err == ERR_NOT_FOUND && (flags & FS_O_CREATE))
		err = fsops_create(dir, path, len, FS_T_FILE, &ip);
	if (err != ERR_OK)
		return fsops_end(err);
	if (ip.d->type == FS_T_DIR && (writing || (flags & (FS_O_CREATE | FS_O_TRUNC))))
		err = ERR_IS_DIRECTORY;
	else if ((flags & FS_O_TRUNC) && ip.d->type == FS_T_FILE && ip.d->size != 0)
		err = inode_truncate(&ip);
	if (err == ERR_OK) {
		inode_stat(&ip, st);
		for (i = 0; i < FS_OPEN_INODES; i++)
			if (fsops_held[i].count && fsops_held[i].inum == ip.inum)
				slot = i;
		fsops_held[slot].inum = ip.inum;
	}
	inode_put(&ip);
	err = fsops_end(err);
	if (err == ERR_OK)
		fsops_held[slot].count++;
	return err;
}

int fsops_close(uint32_t inum)
{
	struct inode ip;
	unsigned i;
	int err;

	for (i = 0; i < FS_OPEN_INODES; i++)
		if (fsops_held[i].count && fsops_held[i].inum == inum)
			break;
	if (i == FS_OPEN_INODES)
		return ERR_INVALID_ARGUMENT;
	if (--fsops_held[i].count != 0)
		return ERR_OK;
	if ((err = log_begin()) != ERR_OK)
		return err;
	if ((err = inode_get(inum, &ip)) == ERR_OK) {
		err = ip.d->type == FS_T_FREE ? ERR_OK : fsops_maybe_free(&ip);
		inode_put(&ip);
	}
	return fsops_end(err);
}

int fsops_read(uint32_t inum, uint64_t off, void *dst, size_t n, size_t *done)
{
	struct inode ip;
	int err = inode_get(inum, &ip);

	*done = 0;
	if (err != ERR_OK)
		return err;
	if (ip.d->type == FS_T_DEVICE || ip.d->type == FS_T_FREE)
		err = ERR_INVALID_OPERATION;
	else
		err = inode_read(&ip, off, dst, n, done);
	inode_put(&ip);
	return err;
}

int fsops_write(uint32_t inum, uint64_t off, const void *src, size_t n)
{
	struct inode ip;
	int err;

	if (n > FS_IO_MAX)
		return ERR_RANGE;
	if ((err = log_begin()) != ERR_OK)
		return err;
	if ((err = inode_get(inum, &ip)) != ERR_OK)
		return fsops_end(err);
	if (ip.d->type == FS_T_DIR)
		err = ERR_IS_DIRECTORY;
	else if (ip.d->type != FS_T_FILE)
		err = ERR_INVALID_OPERATION;
	else
		err = inode_write(&ip, off, src, n);
	inode_put(&ip);
	return fsops_end(err);
}

int fsops_readdir(uint32_t inum, uint64_t *off, struct fs_dirent *out, unsigned max, unsigned *count)
{
	struct fs_dirent e;
	struct inode ip;
	size_t done;
	int err = inode_get(inum, &ip);

	*count = 0;
	if (err != ERR_OK)
		return err;
	if (ip.d->type != FS_T_DIR)
		err = ERR_NOT_DIRECTORY;
	while (err == ERR_OK && *count < max) {
		err = inode_read(&ip, *off, &e, sizeof(e), &done);
		if (err != ERR_OK || done < sizeof(e))
			break;
		*off += sizeof(e);
		if (e.inum != 0)
			out[(*count)++] = e;
	}
	inode_put(&ip);
	return err;
}

int fsops_fstat(uint32_t inum, struct fs_stat *st)
{
	struct inode ip;
	int err = inode_get(inum, &ip);

	if (err == ERR_OK) {
		inode_stat(&ip, st);
		inode_put(&ip);
	}
	return err;
}

int fsops_stat(uint32_t dir, const char *path, size_t len, int follow, struct fs_stat *st)
{
	uint32_t inum;
	int err = path_walk(dir, path, len, follow ? PATH_FOLLOW : PATH_NOFOLLOW, &inum, NULL, NULL);

	return err == ERR_OK ? fsops_fstat(inum, st) : err;
}

/* Create an inode of `type` at path, with major and minor for a device. */
static int fsops_make(uint32_t dir, const char *path, size_t len, uint16_t type, uint16_t major,
		      uint16_t minor, const char *data, size_t size)
{
	struct inode ip;
	int err = log_begin();

	if (err != ERR_OK)
		return err;
	if ((err = fsops_create(dir, path, len, type, &ip)) == ERR_OK) {
		ip.d->major = major;
		ip.d->minor = minor;
		if (size)
			err = inode_write(&ip, 0, data, size);
		inode_put(&ip);
	}
	return fsops_end(err);
}

int fsops_mkdir(uint32_t dir, const char *path, size_t len)
{
	return fsops_make(dir, path, len, FS_T_DIR, 0, 0, NULL, 0);
}

int fsops_mknod(uint32_t dir, const char *path, size_t len, uint16_t major, uint16_t minor)
{
	return fsops_make(dir, path, len, FS_T_DEVICE, major, minor, NULL, 0);
}

int fsops_symlink(uint32_t dir, const char *target, size_t tlen, const char *path, size_t len)
{
	if (tlen == 0 || strnlen(target, tlen) < tlen)
		return ERR_INVALID_ARGUMENT;
	if (tlen >= FS_MAXPATH)
		return ERR_NAME_TOO_LONG;
	return fsops_make(dir, path, len, FS_T_SYMLINK, 0, 0, target, tlen);
}

int fsops_readlink(uint32_t dir, const char *path, size_t len, char *buf, size_t size, size_t *done)
{
	struct inode ip;
	uint32_t inum;
	int err = path_walk(dir, path, len, PATH_NOFOLLOW, &inum, NULL, NULL);

	*done = 0;
	if (err != ERR_OK || (err = inode_get(inum, &ip)) != ERR_OK)
		return err;
	if (ip.d->type != FS_T_SYMLINK)
		err = ERR_INVALID_ARGUMENT;
	else if (ip.d->size > size)
		err = ERR_RANGE;
	else
		err = inode_read(&ip, 0, buf, ip.d->size, done);
	inode_put(&ip);
	return err;
}

int fsops_link(uint32_t dir, const char *old, size_t oldlen, const char *new, size_t newlen)
{
	char name[FS_DIRSIZ + 1];
	struct inode ip, dp;
	uint32_t inum, parent;
	size_t namelen;
	int err = log_begin();

	if (err != ERR_OK)
		return err;
	if ((err = path_walk(dir, old, oldlen, PATH_NOFOLLOW, &inum, NULL, NULL)) != ERR_OK ||
	    (err = path_walk(dir, new, newlen, PATH_PARENT, &parent, name, &namelen)) != ERR_OK ||
	    (err = inode_get(inum, &ip)) != ERR_OK)
		return fsops_end(err);
	if (ip.d->type == FS_T_DIR)
		err = ERR_IS_DIRECTORY;
	else if (ip.d->nlink == UINT16_MAX)
		err = ERR_RANGE;
	else if ((err = inode_get(parent, &dp)) == ERR_OK) {
		if ((err = dir_add(&dp, name, namelen, inum)) == ERR_OK &&
		    (err = inode_dirty(&ip)) == ERR_OK)
			ip.d->nlink++;
		inode_put(&dp);
	}
	inode_put(&ip);
	return fsops_end(err);
}

/* Remove the entry at off of dp, which names ip. Inside a transaction. */
static int fsops_remove(struct inode *dp, struct inode *ip, uint64_t off)
{
	int err;

	if (ip->d->type == FS_T_DIR && (err = dir_check_empty(ip)) != ERR_OK)
		return err;
	if (ip->d->nlink == 0 || (ip->d->type == FS_T_DIR && dp->d->nlink == 0))
		return ERR_BAD_FORMAT;     /* a link count the entries contradict */
	if ((err = dir_remove(dp, off)) != ERR_OK || (err = inode_dirty(ip)) != ERR_OK)
		return err;
	if (ip->d->type == FS_T_DIR) {
		if ((err = inode_dirty(dp)) != ERR_OK)
			return err;
		dp->d->nlink--;            /* its ".." is gone */
		ip->d->nlink = 0;          /* the entry just removed was its only link */
	} else {
		ip->d->nlink--;
	}
	return fsops_maybe_free(ip);
}

int fsops_unlink(uint32_t dir, const char *path, size_t len)
{
	char name[FS_DIRSIZ + 1];
	struct inode dp, ip;
	uint32_t parent, inum;
	uint64_t off;
	size_t namelen;
	int err = log_begin();

	if (err != ERR_OK)
		return err;
	if ((err = path_walk(dir, path, len, PATH_PARENT, &parent, name, &namelen)) != ERR_OK ||
	    (err = inode_get(parent, &dp)) != ERR_OK)
		return fsops_end(err);
	if ((err = dir_lookup(&dp, name, namelen, &inum, &off)) == ERR_OK) {
		if ((err = inode_get(inum, &ip)) == ERR_OK) {
			err = ip.d->type == FS_T_FREE ? ERR_BAD_FORMAT : fsops_remove(&dp, &ip, off);
			inode_put(&ip);
		} else if (err == ERR_NOT_FOUND) {
			err = ERR_BAD_FORMAT;
		}
	}
	inode_put(&dp);
	return fsops_end(err);
}
