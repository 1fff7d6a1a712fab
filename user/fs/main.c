/*
 * main.c - the file system server: one receive loop serving the requests
 * of lib/fs_proto.h over the operations of fsops.h, on a disk reached
 * through the block driver (blkdev.h).
 *
 * Every request is decoded first (badge, label, length, every argument,
 * the part of the client's buffer it names), then served; a bad one gets
 * its error and changes nothing. Paths and data are copied between the
 * client's buffer and the server's own before they are used, so a client
 * that changes or revokes its buffer meanwhile cannot change what the fs
 * sees half-way. Its memory (cache, buffers, page tables) comes from the
 * Untyped its supervisor gave it; if the disk holds no file system, the
 * server stays up and answers every request with the reason.
 */
#include "blkdev.h"
#include "errors.h"
#include "fs_proto.h"
#include "fsops.h"
#include "invoke.h"
#include "ipc.h"
#include "printf.h"
#include "root_proto.h"
#include "spawn.h"
#include "str.h"

#define PAGE 4096u
#define CACHE_PAGES 448u                  /* 1.75 MiB of buffer cache */

/* Where the server maps its memory (each range a 2 MiB page table's). */
#define VA_CACHE   0x100000000ul
#define VA_STAGE   0x100200000ul          /* shared with the block driver */
#define VA_IO      0x100210000ul          /* the server's copy of a request's data */
#define VA_CLIENTS 0x100400000ul          /* client c's buffer at + c * FS_IO_MAX */

/* The server's own slots. */
enum {
	SLOT_RECV = FS_SLOT_FIRST_FREE,                  /* attached caps land here */
	SLOT_PAGES = SLOT_RECV + MSG_MAX_CAPS,           /* client c's page p: below */
	SLOT_POOL = SLOT_PAGES + FS_MAX_CLIENTS * FS_MAX_PAGES,
};

struct handle {
	uint16_t owner;                       /* badge; 0: a free handle */
	uint16_t flags;                       /* FS_O_* it was opened with */
	uint16_t type;
	uint32_t inum;
	uint64_t offset;
};

/* A request, decoded. */
struct request {
	unsigned label, client;               /* client: badge - 1 */
	uint64_t w[6];
	unsigned ncaps;
	struct handle *h;                     /* the handle in w[0], for the labels that take one */
	uint32_t dir;                         /* the directory in w[0], for those that take one */
};

static struct {
	struct blkdev dev;
	struct spawn_pool pool;
	int mount_err;                        /* ERR_OK once mounted */
	int inject_ok, quiet;
	uint32_t attached[FS_MAX_CLIENTS];    /* bit p: client page p is there */
	struct handle handles[FS_MAX_HANDLES];
	char path[2][FS_MAXPATH];             /* the request's strings, copied */
	uint8_t *io;                          /* FS_IO_MAX bytes */
} fs;

/* --- client buffers ------------------------------------------------------ */

static uint8_t *client_buf(unsigned client)
{
	return (uint8_t *)(VA_CLIENTS + (uint64_t)client * FS_IO_MAX);
}

/* Whether bytes [off, off+len) of the client's buffer are attached and
 * still there (the client may have revoked a frame since). */
static int client_span(unsigned client, uint64_t off, uint64_t len)
{
	struct cap_info info;
	uint64_t p;

	if (off > FS_IO_MAX || len > FS_IO_MAX - off)
		return ERR_BAD_ADDRESS;
	for (p = off / PAGE; len && p <= (off + len - 1) / PAGE; p++)
		if (!(fs.attached[client] & (1u << p)) ||
		    cnode_describe(FS_SLOT_CNODE, SLOT_PAGES + client * FS_MAX_PAGES + p, &info) != ERR_OK ||
		    info.type != OBJ_FRAME)
			return ERR_BAD_ADDRESS;
	return ERR_OK;
}

/* Copy string `which` of the request (len bytes at off) out of the buffer. */
static int client_string(const struct request *r, unsigned which, uint64_t off, uint64_t len)
{
	int err = len > FS_MAXPATH ? ERR_NAME_TOO_LONG : client_span(r->client, off, len);

	if (err == ERR_OK)
		memcpy(fs.path[which], client_buf(r->client) + off, len);
	return err;
}

static int serve_attach(struct request *r, struct ipc_msg *reply)
{
	uint64_t first = r->w[1];
	struct cap_info info;
	unsigned k;
	int err = ERR_OK;

	(void)reply;
	if (r->w[0] != FS_PROTO_VERSION)
		return ERR_NOT_IMPLEMENTED;
	if (r->ncaps == 0)
		return ERR_BAD_FORMAT;
	if (first >= FS_MAX_PAGES || r->ncaps > FS_MAX_PAGES - first)
		return ERR_RANGE;
	for (k = 0; k < r->ncaps && err == ERR_OK; k++)
		if ((err = cnode_describe(FS_SLOT_CNODE, SLOT_RECV + k, &info)) == ERR_OK &&
		    info.type != OBJ_FRAME)
			err = ERR_INVALID_CAP;
		else if (err == ERR_OK && (info.rights & (RIGHT_READ | RIGHT_WRITE)) !=
						  (RIGHT_READ | RIGHT_WRITE))
			err = ERR_NO_RIGHTS;
	for (k = 0; k < r->ncaps && err == ERR_OK; k++) {
		cptr_t slot = SLOT_PAGES + r->client * FS_MAX_PAGES + first + k;

		frame_unmap(slot);
		cnode_delete(FS_SLOT_CNODE, slot);
		fs.attached[r->client] &= ~(1u << (first + k));
		if ((err = cnode_move(FS_SLOT_CNODE, slot, FS_SLOT_CNODE, SLOT_RECV + k)) == ERR_OK &&
		    (err = spawn_map(&fs.pool, FS_SLOT_VSPACE, slot,
				     (uint64_t)(client_buf(r->client) + (first + k) * PAGE),
				     MAP_READ | MAP_WRITE)) == ERR_OK)
			fs.attached[r->client] |= 1u << (first + k);
	}
	return err;
}

/* --- handles ------------------------------------------------------------- */

static void fs_put_stat(struct ipc_msg *reply, unsigned at, const struct fs_stat *st)
{
	reply->mr[at] = st->inum | (uint64_t)st->type << 32 | (uint64_t)st->nlink << 48;
	reply->mr[at + 1] = st->size;
	reply->mr[at + 2] = st->major | (uint32_t)st->minor << 16;
}

static int serve_open(struct request *r, struct ipc_msg *reply)
{
	struct fs_stat st;
	unsigned i;
	int err = client_string(r, 0, 0, r->w[2]);

	for (i = 0; i < FS_MAX_HANDLES && fs.handles[i].owner; i++)
		;
	if (err == ERR_OK && i == FS_MAX_HANDLES)
		err = ERR_NO_MEMORY;
	if (err == ERR_OK && r->w[1] > 0xffff)
		err = ERR_INVALID_ARGUMENT;
	if (err == ERR_OK)
		err = fsops_open(r->dir, fs.path[0], r->w[2], (unsigned)r->w[1], &st);
	if (err != ERR_OK)
		return err;
	fs.handles[i] = (struct handle){ .owner = (uint16_t)(r->client + 1),
					 .flags = (uint16_t)r->w[1], .type = st.type, .inum = st.inum };
	reply->mr[0] = i + 1;
	fs_put_stat(reply, 1, &st);
	reply->info = MSGINFO(ERR_OK, 0, 1 + FS_STAT_WORDS);
	return ERR_OK;
}

static int serve_close(struct request *r, struct ipc_msg *reply)
{
	uint32_t inum = r->h->inum;

	(void)reply;
	r->h->owner = 0;
	return fsops_close(inum);
}

/* The file offset a read or write names: the handle's, or its own. */
static uint64_t fs_offset(const struct request *r)
{
	return r->w[3] == FS_OFF_HANDLE ? r->h->offset : r->w[3];
}

static int serve_read(struct request *r, struct ipc_msg *reply)
{
	size_t done;
	int err = client_span(r->client, r->w[2], r->w[1]);

	if (err == ERR_OK && (r->h->flags & FS_O_ACCMODE) == FS_O_WRONLY)
		err = ERR_NO_RIGHTS;
	if (err == ERR_OK)
		err = fsops_read(r->h->inum, fs_offset(r), fs.io, r->w[1], &done);
	if (err == ERR_OK)
		err = client_span(r->client, r->w[2], done);
	if (err != ERR_OK)
		return err;
	memcpy(client_buf(r->client) + r->w[2], fs.io, done);
	if (r->w[3] == FS_OFF_HANDLE)
		r->h->offset += done;
	reply->mr[0] = done;
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return ERR_OK;
}

static int serve_write(struct request *r, struct ipc_msg *reply)
{
	int err = client_span(r->client, r->w[2], r->w[1]);

	if (err == ERR_OK && (r->h->flags & FS_O_ACCMODE) == FS_O_RDONLY)
		err = ERR_NO_RIGHTS;
	if (err != ERR_OK)
		return err;
	memcpy(fs.io, client_buf(r->client) + r->w[2], r->w[1]);
	if ((err = fsops_write(r->h->inum, fs_offset(r), fs.io, r->w[1])) != ERR_OK)
		return err;
	if (r->w[3] == FS_OFF_HANDLE)
		r->h->offset += r->w[1];
	reply->mr[0] = r->w[1];
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return ERR_OK;
}

static int serve_seek(struct request *r, struct ipc_msg *reply)
{
	int64_t base = 0, to;
	struct fs_stat st;
	int err;

	if (r->w[2] == FS_SEEK_CUR) {
		base = (int64_t)r->h->offset;
	} else if (r->w[2] == FS_SEEK_END) {
		if ((err = fsops_fstat(r->h->inum, &st)) != ERR_OK)
			return err;
		base = (int64_t)st.size;
	} else if (r->w[2] != FS_SEEK_SET) {
		return ERR_INVALID_ARGUMENT;
	}
	to = base + (int64_t)r->w[1];
	if (to < 0 || (uint64_t)to > FS_MAXBYTES)
		return ERR_INVALID_ARGUMENT;
	r->h->offset = (uint64_t)to;
	reply->mr[0] = (uint64_t)to;
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return ERR_OK;
}

static int serve_fstat(struct request *r, struct ipc_msg *reply)
{
	struct fs_stat st;
	int err = fsops_fstat(r->h->inum, &st);

	if (err == ERR_OK) {
		fs_put_stat(reply, 0, &st);
		reply->info = MSGINFO(ERR_OK, 0, FS_STAT_WORDS);
	}
	return err;
}

static int serve_readdir(struct request *r, struct ipc_msg *reply)
{
	uint64_t bytes = r->w[1] * sizeof(struct fs_dirent);
	unsigned count;
	int err = r->w[1] > FS_IO_MAX / sizeof(struct fs_dirent) ? ERR_BAD_ADDRESS
								  : client_span(r->client, r->w[2], bytes);

	if (err == ERR_OK)
		err = fsops_readdir(r->h->inum, &r->h->offset, (struct fs_dirent *)fs.io,
				    (unsigned)r->w[1], &count);
	if (err == ERR_OK)
		err = client_span(r->client, r->w[2], count * sizeof(struct fs_dirent));
	if (err != ERR_OK)
		return err;
	memcpy(client_buf(r->client) + r->w[2], fs.io, count * sizeof(struct fs_dirent));
	reply->mr[0] = count;
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return ERR_OK;
}

/* --- path requests ------------------------------------------------------- */

static int serve_stat(struct request *r, struct ipc_msg *reply)
{
	struct fs_stat st;
	int err = client_string(r, 0, 0, r->w[1]);

	if (err == ERR_OK && (err = fsops_stat(r->dir, fs.path[0], r->w[1], r->w[2] != 0, &st)) == ERR_OK) {
		fs_put_stat(reply, 0, &st);
		reply->info = MSGINFO(ERR_OK, 0, FS_STAT_WORDS);
	}
	return err;
}

static int serve_mkdir(struct request *r, struct ipc_msg *reply)
{
	int err = client_string(r, 0, 0, r->w[1]);

	(void)reply;
	return err == ERR_OK ? fsops_mkdir(r->dir, fs.path[0], r->w[1]) : err;
}

static int serve_mknod(struct request *r, struct ipc_msg *reply)
{
	int err = client_string(r, 0, 0, r->w[1]);

	(void)reply;
	if (err == ERR_OK && (r->w[2] > 0xffff || r->w[3] > 0xffff))
		err = ERR_INVALID_ARGUMENT;
	return err == ERR_OK ? fsops_mknod(r->dir, fs.path[0], r->w[1], (uint16_t)r->w[2],
					   (uint16_t)r->w[3]) : err;
}

static int serve_unlink(struct request *r, struct ipc_msg *reply)
{
	int err = client_string(r, 0, 0, r->w[1]);

	(void)reply;
	return err == ERR_OK ? fsops_unlink(r->dir, fs.path[0], r->w[1]) : err;
}

/* Two strings, one after the other: (w[1] bytes, then w[2] bytes). */
static int fs_two_strings(struct request *r)
{
	int err = client_string(r, 0, 0, r->w[1]);

	return err == ERR_OK ? client_string(r, 1, r->w[1], r->w[2]) : err;
}

static int serve_symlink(struct request *r, struct ipc_msg *reply)
{
	int err = fs_two_strings(r);

	(void)reply;
	return err == ERR_OK ? fsops_symlink(r->dir, fs.path[0], r->w[1], fs.path[1], r->w[2]) : err;
}

static int serve_link(struct request *r, struct ipc_msg *reply)
{
	int err = fs_two_strings(r);

	(void)reply;
	return err == ERR_OK ? fsops_link(r->dir, fs.path[0], r->w[1], fs.path[1], r->w[2]) : err;
}

static int serve_readlink(struct request *r, struct ipc_msg *reply)
{
	size_t done;
	int err = client_string(r, 0, 0, r->w[1]);

	if (err == ERR_OK)
		err = fsops_readlink(r->dir, fs.path[0], r->w[1], fs.path[1], FS_MAXPATH, &done);
	if (err == ERR_OK)
		err = client_span(r->client, 0, done);
	if (err != ERR_OK)
		return err;
	memcpy(client_buf(r->client), fs.path[1], done);
	reply->mr[0] = done;
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return ERR_OK;
}

static int serve_inject(struct request *r, struct ipc_msg *reply)
{
	int err = fs.inject_ok ? blkdev_inject(&fs.dev, (unsigned)r->w[0], r->w[1], r->w[2])
			       : ERR_NO_RIGHTS;

	reply->mr[0] = fs.dev.writes;
	reply->info = MSGINFO(ERR_OK, 0, 1);
	return err;
}

/* --- the loop ------------------------------------------------------------ */

/* What a label takes: its argument words, what w[0] names, and whether it
 * needs the file system mounted. */
enum { ARG_NONE, ARG_HANDLE, ARG_DIR };
static const struct {
	int (*serve)(struct request *, struct ipc_msg *);
	uint8_t words, w0, mounted;
} fs_ops[FS_LABEL_COUNT] = {
	[FS_ATTACH] = { serve_attach, 2, ARG_NONE, 0 },
	[FS_OPEN] = { serve_open, 3, ARG_DIR, 1 },
	[FS_CLOSE] = { serve_close, 1, ARG_HANDLE, 1 },
	[FS_READ] = { serve_read, 4, ARG_HANDLE, 1 },
	[FS_WRITE] = { serve_write, 4, ARG_HANDLE, 1 },
	[FS_SEEK] = { serve_seek, 3, ARG_HANDLE, 1 },
	[FS_FSTAT] = { serve_fstat, 1, ARG_HANDLE, 1 },
	[FS_STAT] = { serve_stat, 3, ARG_DIR, 1 },
	[FS_MKDIR] = { serve_mkdir, 2, ARG_DIR, 1 },
	[FS_MKNOD] = { serve_mknod, 4, ARG_DIR, 1 },
	[FS_SYMLINK] = { serve_symlink, 3, ARG_DIR, 1 },
	[FS_READLINK] = { serve_readlink, 2, ARG_DIR, 1 },
	[FS_LINK] = { serve_link, 3, ARG_DIR, 1 },
	[FS_UNLINK] = { serve_unlink, 2, ARG_DIR, 1 },
	[FS_READDIR] = { serve_readdir, 3, ARG_HANDLE, 1 },
	[FS_INJECT] = { serve_inject, 3, ARG_NONE, 0 },
};

/* Decode the message (info, m) into r: everything but the label's own
 * arguments. */
static int fs_decode(uint64_t info, const struct ipc_msg *m, struct request *r)
{
	uint64_t label = MSGINFO_LABEL(info), words = MSGINFO_LENGTH(info), i;
	struct handle *h;

	r->ncaps = MSGINFO_NCAPS(info);
	if (m->badge == 0 || m->badge > FS_MAX_CLIENTS)
		return ERR_NO_RIGHTS;
	if (label >= FS_LABEL_COUNT || !fs_ops[label].serve)
		return ERR_INVALID_OPERATION;
	if (words < fs_ops[label].words)
		return ERR_TRUNCATED;
	if ((info & MSGINFO_FLAG_CAPS_LOST) || (r->ncaps && label != FS_ATTACH) ||
	    words > fs_ops[label].words)
		return ERR_BAD_FORMAT;
	if (fs_ops[label].mounted && fs.mount_err != ERR_OK)
		return fs.mount_err;
	r->label = (unsigned)label;
	r->client = (unsigned)m->badge - 1;
	for (i = 0; i < fs_ops[label].words; i++)
		r->w[i] = i < MSG_REG_WORDS ? m->mr[i] : ipc_buffer()->mr[i];
	if (fs_ops[label].w0 == ARG_NONE)
		return ERR_OK;
	if (fs_ops[label].w0 == ARG_DIR && r->w[0] == FS_HANDLE_ROOT) {
		r->dir = FS_ROOT_INUM;
		return ERR_OK;
	}
	h = r->w[0] >= 1 && r->w[0] <= FS_MAX_HANDLES ? &fs.handles[r->w[0] - 1] : NULL;
	if (!h || h->owner != m->badge)
		return ERR_INVALID_ARGUMENT;
	r->h = h;
	r->dir = h->inum;
	return ERR_OK;
}

/* Serve one message; its reply is left in m. */
static void fs_serve(struct ipc_msg *m)
{
	uint64_t info = m->info, label = MSGINFO_LABEL(info);
	struct request r = { 0 };
	unsigned i;
	int err = ERR_OK;

	m->info = MSGINFO(ERR_OK, 0, 0);      /* handlers with words to say set their own */
	if (label == SERVER_INJECT) {
		err = !fs.inject_ok ? ERR_NO_RIGHTS : MSGINFO_LENGTH(info) < 2 ? ERR_TRUNCATED
		      : m->mr[0] != FS_PROTO_VERSION ? ERR_NOT_IMPLEMENTED
		      : m->mr[1] >= FAULT_KINDS ? ERR_INVALID_ARGUMENT : ERR_OK;
		if (err == ERR_OK)
			server_fault((unsigned)m->mr[1]);
	} else if (label != SERVER_PING && (err = fs_decode(info, m, &r)) == ERR_OK) {
		err = fs_ops[r.label].serve(&r, m);
	}
	for (i = 0; i < MSG_MAX_CAPS; i++)
		cnode_delete(FS_SLOT_CNODE, SLOT_RECV + i);
	if (err != ERR_OK)
		m->info = MSGINFO(err, 0, 0);
}

/* npages fresh frames mapped from vaddr on; their caps in frames (if not NULL). */
static int fs_memory(uint64_t vaddr, unsigned npages, cptr_t *frames)
{
	cptr_t frame;
	unsigned i;
	int err = ERR_OK;

	for (i = 0; i < npages && err == ERR_OK; i++) {
		err = spawn_map_new(&fs.pool, FS_SLOT_VSPACE, vaddr + (uint64_t)i * PAGE,
				    MAP_READ | MAP_WRITE, &frame);
		if (frames)
			frames[i] = frame;
	}
	return err;
}

static int fs_start(void)
{
	cptr_t stage[BLKDEV_PAGES];
	int err;

	fs.pool = (struct spawn_pool){ .cnode = FS_SLOT_CNODE, .untyped = FS_SLOT_UNTYPED,
				       .next_slot = SLOT_POOL, .end_slot = 1ul << FS_CNODE_RADIX,
				       .self_vspace = FS_SLOT_VSPACE };
	fs.io = (uint8_t *)VA_IO;
	if ((err = fs_memory(VA_CACHE, CACHE_PAGES, NULL)) ||
	    (err = fs_memory(VA_STAGE, BLKDEV_PAGES, stage)) ||
	    (err = fs_memory(VA_IO, FS_IO_MAX / PAGE, NULL)))
		return err;
	return blkdev_init(&fs.dev, FS_SLOT_BLK, (uint8_t *)VA_STAGE, stage, (uint8_t *)VA_CACHE,
			   CACHE_PAGES);
}

int main(uint64_t flags)
{
	struct ipc_buffer *ipcbuf = ipc_buffer();
	const struct fs_superblock *sb;
	struct ipc_msg m;

	fs.inject_ok = (flags & SERVER_ARG_INJECT) != 0;
	fs.quiet = (flags & FS_ARG_QUIET) != 0;
	fs.mount_err = fs_start();
	if (fs.mount_err == ERR_OK && fs.dev.bdev.nblocks == 0)
		fs.mount_err = ERR_NOT_FOUND;
	if (fs.mount_err != ERR_OK)
		printf("fs: no disk to mount: %s; every request gets that\n", err_name(fs.mount_err));
	else if ((fs.mount_err = fsops_mount(&fs.dev.bdev)) != ERR_OK)
		printf("fs: the disk holds no file system we can mount: %s; every request gets that\n",
		       err_name(fs.mount_err));
	sb = fsops_super();
	if (fs.mount_err == ERR_OK && !fs.quiet)
		printf("fs: mounted %u blocks of %u bytes, %u inodes, %u KiB of cache\n", sb->size,
		       FS_BSIZE, sb->ninodes, CACHE_PAGES * PAGE / 1024);
	ipcbuf->recv_cnode = FS_SLOT_CNODE;
	ipcbuf->recv_slot = SLOT_RECV;
	m.info = MSGINFO(0, 0, 0);
	if (ipc_recv(FS_SLOT_ENDPOINT, &m) != ERR_OK)
		return 1;
	for (;;) {
		if (m.info & (MSGINFO_FLAG_FAULT | MSGINFO_FLAG_NOTIFY)) {
			ipc_recv(FS_SLOT_ENDPOINT, &m);
			continue;
		}
		fs_serve(&m);
		ipc_reply_recv(FS_SLOT_ENDPOINT, &m);
	}
}
