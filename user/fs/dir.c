/*
 * dir.c - directory entries and path resolution (dir.h).
 *
 * Directory blocks are scanned in place in the buffer cache. A symbolic
 * link met on a path is replaced by its target: the rest of the path is
 * appended to the target in the other of two buffers and the walk goes on
 * from there, so following links costs no stack and no recursion.
 */
#include "dir.h"
#include "errors.h"
#include "log.h"
#include "str.h"

/* What dir_find looks for. */
enum dir_want { DIR_NAME, DIR_FREE, DIR_OTHER };

/* Find the first entry of dp that is: the name[0..len) (DIR_NAME), free
 * (DIR_FREE), or live and neither "." nor ".." (DIR_OTHER). *inum and *off
 * get the entry's inode and offset. ERR_NOT_FOUND if there is none;
 * ERR_BAD_FORMAT if the entry found names an inode past the table. */
static int dir_find(struct inode *dp, enum dir_want want, const char *name, size_t len,
		    uint32_t *inum, uint64_t *off)
{
	uint64_t size = dp->d->size - dp->d->size % sizeof(struct fs_dirent), at;
	struct buf *b = NULL;
	int err = ERR_NOT_FOUND;

	for (at = 0; at < size && err == ERR_NOT_FOUND; at += sizeof(struct fs_dirent)) {
		const struct fs_dirent *e;
		int hit;

		if (at % FS_BSIZE == 0) {
			if (b)
				buf_put(b);
			if ((err = inode_block(dp, at / FS_BSIZE, &b)) != ERR_OK)
				return err;
			err = ERR_NOT_FOUND;
		}
		e = b ? (const struct fs_dirent *)(b->data + at % FS_BSIZE) : NULL;
		if (!e && want != DIR_FREE) {          /* a hole: no entries in this block */
			at += FS_BSIZE - sizeof(struct fs_dirent);
			continue;
		}
		if (want == DIR_FREE)
			hit = !e || e->inum == 0;
		else if (e->inum == 0)
			hit = 0;
		else if (want == DIR_NAME)
			hit = (len == FS_DIRSIZ || e->name[len] == 0) && memcmp(e->name, name, len) == 0;
		else
			hit = strncmp(e->name, ".", FS_DIRSIZ) != 0 && strncmp(e->name, "..", FS_DIRSIZ) != 0;
		if (hit) {
			*inum = e ? e->inum : 0;
			*off = at;
			err = *inum < inode_count() ? ERR_OK : ERR_BAD_FORMAT;
		}
	}
	if (b)
		buf_put(b);
	return err;
}

int dir_lookup(struct inode *dp, const char *name, size_t len, uint32_t *inum, uint64_t *off)
{
	uint64_t where;

	if (dp->d->type != FS_T_DIR)
		return ERR_NOT_DIRECTORY;
	return dir_find(dp, DIR_NAME, name, len, inum, off ? off : &where);
}

int dir_add(struct inode *dp, const char *name, size_t len, uint32_t inum)
{
	struct fs_dirent e;
	uint32_t found;
	uint64_t off;
	int err = dir_lookup(dp, name, len, &found, &off);

	if (err == ERR_OK)
		return ERR_EXISTS;
	if (err != ERR_NOT_FOUND)
		return err;
	if (len == 0 || len > FS_DIRSIZ)
		return len ? ERR_NAME_TOO_LONG : ERR_INVALID_ARGUMENT;
	err = dir_find(dp, DIR_FREE, NULL, 0, &found, &off);
	if (err == ERR_NOT_FOUND)
		off = dp->d->size - dp->d->size % sizeof(struct fs_dirent);
	else if (err != ERR_OK)
		return err;
	if (off + sizeof(e) > FS_MAXDIRSIZE)
		return ERR_NO_SPACE;
	memset(&e, 0, sizeof(e));
	e.inum = (uint16_t)inum;
	memcpy(e.name, name, len);
	return inode_write(dp, off, &e, sizeof(e));
}

int dir_remove(struct inode *dp, uint64_t off)
{
	struct fs_dirent e;

	memset(&e, 0, sizeof(e));
	return inode_write(dp, off, &e, sizeof(e));
}

int dir_check_empty(struct inode *dp)
{
	uint32_t inum;
	uint64_t off;
	int err = dir_find(dp, DIR_OTHER, NULL, 0, &inum, &off);

	if (err == ERR_NOT_FOUND)
		return ERR_OK;
	return err == ERR_OK || err == ERR_BAD_FORMAT ? ERR_NOT_EMPTY : err;
}

/* The two path buffers: the path being walked, and where a symlink's
 * target and the rest of the path are put together. One walk at a time. */
static char path_bufs[2][FS_MAXPATH];

/* Replace the path with link's target followed by "/" and rest[0..restlen):
 * the result is in path_bufs[which] and *path, *len point to it. */
static int path_splice(struct inode *link, const char *rest, size_t restlen, unsigned which,
		       const char **path, size_t *len)
{
	char *to = path_bufs[which];
	uint64_t size = link->d->size;
	size_t done;
	int err;

	if (size == 0 || size + 1 + restlen > FS_MAXPATH)
		return size == 0 ? ERR_NOT_FOUND : ERR_NAME_TOO_LONG;
	if ((err = inode_read(link, 0, to, size, &done)) != ERR_OK)
		return err;
	if (restlen) {
		to[size] = '/';
		memmove(to + size + 1, rest, restlen);
	}
	*path = to;
	*len = size + (restlen ? 1 + restlen : 0);
	return ERR_OK;
}

int path_walk(uint32_t start, const char *path, size_t len, enum path_mode mode, uint32_t *inum,
	      char *name, size_t *namelen)
{
	uint32_t cur = start, next;
	unsigned links = 0, which = 0;
	struct inode dp, ip;
	size_t at = 0;
	int err;

	if (len == 0)
		return ERR_NOT_FOUND;
	if (len > FS_MAXPATH)
		return ERR_NAME_TOO_LONG;
	for (;;) {
		size_t from, clen;
		int last;

		if (at == 0 && path[0] == '/')
			cur = FS_ROOT_INUM;
		while (at < len && path[at] == '/')
			at++;
		if (at == len) {               /* "/" or a trailing slash: cur itself */
			if (mode == PATH_PARENT)
				return ERR_INVALID_ARGUMENT;
			*inum = cur;
			return ERR_OK;
		}
		from = at;
		while (at < len && path[at] != '/' && path[at] != 0)
			at++;
		if (at < len && path[at] == 0)
			return ERR_INVALID_ARGUMENT;
		clen = at - from;
		while (at < len && path[at] == '/')
			at++;
		last = at == len;
		if (clen > FS_DIRSIZ)
			return ERR_NAME_TOO_LONG;
		if ((err = inode_get(cur, &dp)) != ERR_OK)
			return err;
		if (dp.d->type != FS_T_DIR) {
			inode_put(&dp);
			return ERR_NOT_DIRECTORY;
		}
		if (last && mode == PATH_PARENT) {
			inode_put(&dp);
			if ((clen == 1 && path[from] == '.') ||
			    (clen == 2 && path[from] == '.' && path[from + 1] == '.'))
				return ERR_INVALID_ARGUMENT;
			memcpy(name, path + from, clen);
			name[clen] = 0;
			*namelen = clen;
			*inum = cur;
			return ERR_OK;
		}
		err = dir_lookup(&dp, path + from, clen, &next, NULL);
		inode_put(&dp);
		if (err != ERR_OK)
			return err;
		if ((err = inode_get(next, &ip)) != ERR_OK)
			return err == ERR_NOT_FOUND ? ERR_BAD_FORMAT : err;
		if (ip.d->type == FS_T_FREE) {         /* an entry naming a free inode */
			inode_put(&ip);
			return ERR_BAD_FORMAT;
		}
		if (ip.d->type != FS_T_SYMLINK || (last && mode == PATH_NOFOLLOW)) {
			inode_put(&ip);
			if (last) {
				*inum = next;
				return ERR_OK;
			}
			cur = next;
			continue;
		}
		if (++links > FS_MAXSYMLINKS) {
			inode_put(&ip);
			return ERR_LOOP;
		}
		which ^= 1;
		err = path_splice(&ip, path + at, len - at, which, &path, &len);
		inode_put(&ip);
		if (err != ERR_OK)
			return err;
		at = 0;                        /* cur stays: a relative target starts there */
	}
}
