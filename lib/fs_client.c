/*
 * fs_client.c - the client stubs of the file system's protocol
 * (fs_proto.h): each puts its strings or data in the shared buffer, makes
 * one call, and decodes the reply, whose label is the server's error code.
 */
#include "errors.h"
#include "fs_format.h"
#include "fs_proto.h"
#include "ipc.h"
#include "str.h"

/* One call: label and words out, the reply in *m; the kernel's error, or
 * once delivered the server's (the reply's label). */
static int fs_call(struct fs_client *c, unsigned label, unsigned words, struct ipc_msg *m)
{
	int err;

	m->info = MSGINFO(label, 0, words);
	err = ipc_call(c->ep, m);
	return err != ERR_OK ? err : (int)MSGINFO_LABEL(m->info);
}

/* Put the nul-terminated s in the buffer at off: its length, or -1 if it
 * is longer than FS_MAXPATH or does not fit. */
static long fs_put_string(struct fs_client *c, size_t off, const char *s)
{
	size_t len = strnlen(s, FS_MAXPATH + 1);

	if (len > FS_MAXPATH || off + len > (size_t)c->pages * 4096)
		return -1;
	memcpy(c->buf + off, s, len);
	return (long)len;
}

static void fs_get_stat(const struct ipc_msg *m, unsigned at, struct fs_stat *st)
{
	st->inum = (uint32_t)m->mr[at];
	st->type = (uint16_t)(m->mr[at] >> 32);
	st->nlink = (uint16_t)(m->mr[at] >> 48);
	st->size = m->mr[at + 1];
	st->major = (uint16_t)m->mr[at + 2];
	st->minor = (uint16_t)(m->mr[at + 2] >> 16);
}

int fs_connect(struct fs_client *c, cptr_t ep, uint8_t *buf, const cptr_t *frames, unsigned pages)
{
	struct ipc_buffer *ipcbuf = ipc_buffer();
	unsigned done, n, i;
	int err = pages == 0 || pages > FS_MAX_PAGES ? ERR_RANGE : ERR_OK;

	*c = (struct fs_client){ .ep = ep, .buf = buf, .pages = pages };
	for (done = 0; err == ERR_OK && done < pages; done += n) {
		struct ipc_msg m = { 0 };

		n = pages - done < MSG_MAX_CAPS ? pages - done : MSG_MAX_CAPS;
		for (i = 0; i < n; i++)
			ipcbuf->caps[i] = frames[done + i];
		m.mr[0] = FS_PROTO_VERSION;
		m.mr[1] = done;
		m.info = MSGINFO(FS_ATTACH, n, 2);
		err = ipc_call(ep, &m);
		if (err == ERR_OK)
			err = (int)MSGINFO_LABEL(m.info);
	}
	return err;
}

int fs_open(struct fs_client *c, uint64_t dir, const char *path, unsigned flags, uint64_t *handle,
	    struct fs_stat *st)
{
	struct ipc_msg m = { .mr = { dir, flags, 0 } };
	long len = fs_put_string(c, 0, path);
	int err;

	if (len < 0)
		return ERR_NAME_TOO_LONG;
	m.mr[2] = (uint64_t)len;
	if ((err = fs_call(c, FS_OPEN, 3, &m)) == ERR_OK) {
		*handle = m.mr[0];
		if (st)
			fs_get_stat(&m, 1, st);
	}
	return err;
}

int fs_close(struct fs_client *c, uint64_t handle)
{
	struct ipc_msg m = { .mr = { handle } };

	return fs_call(c, FS_CLOSE, 1, &m);
}

int fs_read(struct fs_client *c, uint64_t handle, void *dst, size_t n, uint64_t off, size_t *done)
{
	struct ipc_msg m = { .mr = { handle, n, 0, off } };
	int err = fs_call(c, FS_READ, 4, &m);

	*done = 0;
	if (err == ERR_OK) {
		*done = m.mr[0] <= n ? m.mr[0] : n;
		if (dst != c->buf)
			memcpy(dst, c->buf, *done);
	}
	return err;
}

int fs_write(struct fs_client *c, uint64_t handle, const void *src, size_t n, uint64_t off)
{
	struct ipc_msg m = { .mr = { handle, n, 0, off } };

	if (n > (size_t)c->pages * 4096)
		return ERR_RANGE;
	if (src != c->buf)
		memcpy(c->buf, src, n);
	return fs_call(c, FS_WRITE, 4, &m);
}

int fs_seek(struct fs_client *c, uint64_t handle, int64_t offset, enum fs_whence whence,
	    uint64_t *result)
{
	struct ipc_msg m = { .mr = { handle, (uint64_t)offset, whence } };
	int err = fs_call(c, FS_SEEK, 3, &m);

	if (err == ERR_OK && result)
		*result = m.mr[0];
	return err;
}

int fs_fstat(struct fs_client *c, uint64_t handle, struct fs_stat *st)
{
	struct ipc_msg m = { .mr = { handle } };
	int err = fs_call(c, FS_FSTAT, 1, &m);

	if (err == ERR_OK)
		fs_get_stat(&m, 0, st);
	return err;
}

int fs_stat(struct fs_client *c, uint64_t dir, const char *path, int follow, struct fs_stat *st)
{
	struct ipc_msg m = { .mr = { dir, 0, follow != 0 } };
	long len = fs_put_string(c, 0, path);
	int err;

	if (len < 0)
		return ERR_NAME_TOO_LONG;
	m.mr[1] = (uint64_t)len;
	if ((err = fs_call(c, FS_STAT, 3, &m)) == ERR_OK)
		fs_get_stat(&m, 0, st);
	return err;
}

/* A request naming one path: dir, its length, then `extra` more words. */
static int fs_path_call(struct fs_client *c, unsigned label, uint64_t dir, const char *path,
			unsigned extra, uint64_t w2, uint64_t w3)
{
	struct ipc_msg m = { .mr = { dir, 0, w2, w3 } };
	long len = fs_put_string(c, 0, path);

	if (len < 0)
		return ERR_NAME_TOO_LONG;
	m.mr[1] = (uint64_t)len;
	return fs_call(c, label, 2 + extra, &m);
}

int fs_mkdir(struct fs_client *c, uint64_t dir, const char *path)
{
	return fs_path_call(c, FS_MKDIR, dir, path, 0, 0, 0);
}

int fs_mknod(struct fs_client *c, uint64_t dir, const char *path, unsigned major, unsigned minor)
{
	return fs_path_call(c, FS_MKNOD, dir, path, 2, major, minor);
}

int fs_unlink(struct fs_client *c, uint64_t dir, const char *path)
{
	return fs_path_call(c, FS_UNLINK, dir, path, 0, 0, 0);
}

/* A request naming two paths, one after the other in the buffer. */
static int fs_two_path_call(struct fs_client *c, unsigned label, uint64_t dir, const char *a,
			    const char *b)
{
	struct ipc_msg m = { .mr = { dir } };
	long alen = fs_put_string(c, 0, a), blen = alen < 0 ? -1 : fs_put_string(c, (size_t)alen, b);

	if (alen < 0 || blen < 0)
		return ERR_NAME_TOO_LONG;
	m.mr[1] = (uint64_t)alen;
	m.mr[2] = (uint64_t)blen;
	return fs_call(c, label, 3, &m);
}

int fs_symlink(struct fs_client *c, uint64_t dir, const char *target, const char *path)
{
	return fs_two_path_call(c, FS_SYMLINK, dir, target, path);
}

int fs_link(struct fs_client *c, uint64_t dir, const char *old, const char *new)
{
	return fs_two_path_call(c, FS_LINK, dir, old, new);
}

int fs_readlink(struct fs_client *c, uint64_t dir, const char *path, char *buf, size_t size)
{
	struct ipc_msg m = { .mr = { dir } };
	long len = fs_put_string(c, 0, path);
	int err;

	if (len < 0)
		return ERR_NAME_TOO_LONG;
	m.mr[1] = (uint64_t)len;
	if ((err = fs_call(c, FS_READLINK, 2, &m)) != ERR_OK)
		return err;
	if (m.mr[0] >= size)
		return ERR_RANGE;
	memcpy(buf, c->buf, m.mr[0]);
	buf[m.mr[0]] = 0;
	return ERR_OK;
}

int fs_readdir(struct fs_client *c, uint64_t handle, void *out, unsigned max, unsigned *count)
{
	struct ipc_msg m = { .mr = { handle, max, 0 } };
	int err = fs_call(c, FS_READDIR, 3, &m);

	*count = 0;
	if (err == ERR_OK) {
		*count = m.mr[0] <= max ? (unsigned)m.mr[0] : max;
		memcpy(out, c->buf, *count * 16u);
	}
	return err;
}

int fs_inject(struct fs_client *c, enum fs_fault fault, uint64_t after, uint64_t arg,
	      uint64_t *writes)
{
	struct ipc_msg m = { .mr = { fault, after, arg } };
	int err = fs_call(c, FS_INJECT, 3, &m);

	if (err == ERR_OK && writes)
		*writes = m.mr[0];
	return err;
}
