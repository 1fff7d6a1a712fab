/*
 * file.c - open files and file descriptors, with xv6's semantics: each
 * process has NOFILE descriptors naming entries of one table of open
 * files, which fork and dup share (and so share the offset); a file goes
 * away when its last descriptor closes. Pipes live here too: PIPE_SIZE
 * bytes of buffer, a reader waits while it is empty and a writer while it
 * is full; end of file once every writer has closed, an error once every
 * reader has. The console is a device file. A file of the file system
 * (F_INODE) is a handle of the file server, which keeps its offset;
 * every call on it is a job for the fs worker (fs.c).
 *
 * A blocked reader or writer waits with its reply saved (proc_block);
 * pipe_pump() moves bytes and answers whoever can go on, oldest first.
 */
#include "proc.h"
#include "errors.h"
#include "printf.h"
#include "str.h"

#define PIPE_SIZE 512
#define NPIPE     NFILE
#define DATA_MAX  PROC_IO_MAX           /* bytes of one read or write */
#define O_RDONLY  0                     /* xv6's kernel/fcntl.h */
#define O_WRONLY  1
#define PATH_MAX  128                   /* xv6's MAXPATH, with the nul */

enum file_type { F_NONE, F_PIPE, F_CONSOLE, F_INODE };

struct pipe {
	bool used;
	unsigned readers, writers;       /* open files on each end */
	uint32_t nread, nwrite;          /* bytes ever read and written */
	unsigned char data[PIPE_SIZE];
};

struct file {
	enum file_type type;
	unsigned ref;                    /* descriptors naming it, in all processes */
	bool readable, writable;
	struct pipe *pipe;
	uint64_t handle;                 /* F_INODE: the file server's handle (and offset) */
};

static struct file files[NFILE];
static struct pipe *pipes;               /* NPIPE of them */

int file_init(void)
{
	pipes = mem_table(NPIPE * sizeof(*pipes));
	return pipes != NULL ? ERR_OK : ERR_NO_MEMORY;
}

unsigned file_free_count(void)
{
	unsigned i, n = 0;

	for (i = 0; i < NFILE; i++)
		n += files[i].type == F_NONE;
	return n;
}

static struct file *file_alloc(enum file_type type, bool readable, bool writable)
{
	unsigned i;

	for (i = 0; i < NFILE; i++)
		if (files[i].type == F_NONE) {
			files[i] = (struct file){ .type = type, .ref = 1, .readable = readable,
						  .writable = writable };
			return &files[i];
		}
	return NULL;
}

/* The lowest free descriptor of p, given f; -1 if none (f is not taken). */
static int fd_alloc(struct proc *p, struct file *f)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (p->fd[fd] == NULL) {
			p->fd[fd] = f;
			return fd;
		}
	return -1;
}

static struct file *fd_file(struct proc *p, uint64_t fd)
{
	return fd < NOFILE ? p->fd[fd] : NULL;
}

static void pipe_pump(struct pipe *pi);

static void file_put(struct file *f)
{
	struct pipe *pi = f->pipe;

	if (--f->ref > 0)
		return;
	if (f->type == F_PIPE) {
		if (f->readable)
			pi->readers--;
		else
			pi->writers--;
		pipe_pump(pi);
		if (pi->readers == 0 && pi->writers == 0)
			pi->used = false;
	} else if (f->type == F_INODE) {
		fs_close_handle(f->handle);
	}
	f->type = F_NONE;
}

int file_console_fds(struct proc *p)
{
	struct file *f = file_alloc(F_CONSOLE, true, true);

	if (f == NULL)
		return ERR_NO_MEMORY;
	p->fd[0] = p->fd[1] = p->fd[2] = f;
	f->ref = 3;
	return ERR_OK;
}

void file_fork(struct proc *child, const struct proc *parent)
{
	unsigned fd;

	for (fd = 0; fd < NOFILE; fd++) {
		child->fd[fd] = parent->fd[fd];
		if (child->fd[fd] != NULL)
			child->fd[fd]->ref++;
	}
	child->cwd = parent->cwd;
	if (child->cwd != NULL)
		child->cwd->ref++;
}

void file_close_all(struct proc *p)
{
	unsigned fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (p->fd[fd] != NULL) {
			struct file *f = p->fd[fd];

			p->fd[fd] = NULL;
			file_put(f);
		}
	if (p->cwd != NULL) {
		file_put(p->cwd);
		p->cwd = NULL;
	}
}

uint64_t file_handle(const struct file *f)
{
	return f->handle;
}

int file_opened(struct proc *p, uint64_t handle, unsigned mode, unsigned type, unsigned major)
{
	bool console = type == XV6_T_DEVICE && major == fs_console_major();
	struct file *f = type == XV6_T_DEVICE && !console ? NULL :
			 file_alloc(console ? F_CONSOLE : F_INODE, (mode & 3) != O_WRONLY,
				    (mode & 3) != O_RDONLY);
	int fd = f == NULL ? -1 : fd_alloc(p, f);

	if (f != NULL && !console)
		f->handle = handle;
	if (fd < 0 && f != NULL)
		file_put(f);                 /* closes the handle too */
	else if (console || f == NULL)
		fs_close_handle(handle);     /* the console needs no handle */
	return fd;
}

int file_chdir(struct proc *p, uint64_t handle)
{
	struct file *f = file_alloc(F_INODE, true, false);

	if (f == NULL) {
		fs_close_handle(handle);
		return ERR_NO_MEMORY;
	}
	f->handle = handle;
	if (p->cwd != NULL)
		file_put(p->cwd);
	p->cwd = f;
	return ERR_OK;
}

void file_cancel(struct proc *p)
{
	p->wait = W_NONE;            /* a pending write's bytes are dropped with it */
	p->wait_on = NULL;
}

/* --- pipes ---------------------------------------------------------------------- */

/* Take up to n bytes out of pi into buf; returns how many. */
static uint32_t pipe_take(struct pipe *pi, unsigned char *buf, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && pi->nread != pi->nwrite; i++)
		buf[i] = pi->data[pi->nread++ % PIPE_SIZE];
	return i;
}

static uint32_t pipe_put(struct pipe *pi, const unsigned char *buf, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && pi->nwrite - pi->nread < PIPE_SIZE; i++)
		pi->data[pi->nwrite++ % PIPE_SIZE] = buf[i];
	return i;
}

void file_read_reply(struct ipc_msg *m, const unsigned char *buf, uint32_t count)
{
	msg_result(m, count, 2 + (count + 7) / 8);
	m->mr[1] = 0;
	proc_msg_put(m, 2, buf, count);
}

/* Move bytes between pi and the processes waiting on it, and answer each
 * one that can go on, oldest first, until nobody can. */
static void pipe_pump(struct pipe *pi)
{
	static unsigned char buf[DATA_MAX];
	struct ipc_msg m;
	struct proc *p;
	bool progress = true;

	while (progress) {
		progress = false;
		while ((p = proc_waiter(W_PIPE_WRITE, pi)) != NULL) {
			if (pi->readers == 0) {
				msg_result(&m, -1, 1);
			} else {
				uint32_t k = pipe_put(pi, p->wait_buf + p->wait_done, p->wait_n);

				p->wait_done += k;
				p->wait_n -= k;
				progress |= k > 0;
				if (p->wait_n > 0)
					break;
				msg_result(&m, p->wait_done, 1);
			}
			proc_answer(p, &m);
		}
		while ((p = proc_waiter(W_PIPE_READ, pi)) != NULL) {
			uint32_t k;

			if (pi->nread == pi->nwrite && pi->writers > 0)
				break;
			k = pipe_take(pi, buf, p->wait_n);
			progress |= k > 0;
			file_read_reply(&m, buf, k);
			proc_answer(p, &m);
		}
	}
}

static void pipe_read(struct proc *p, struct pipe *pi, uint32_t n, struct ipc_msg *m, bool *reply)
{
	static unsigned char buf[DATA_MAX];
	uint32_t k;

	if (pi->nread == pi->nwrite && pi->writers > 0) {
		proc_park(p, W_PIPE_READ, pi, n, m, reply);
		return;
	}
	k = pipe_take(pi, buf, n);
	pipe_pump(pi);                   /* room for waiting writers */
	file_read_reply(m, buf, k);
}

static void pipe_write(struct proc *p, struct pipe *pi, uint32_t n, struct ipc_msg *m, bool *reply)
{
	uint32_t k;

	if (pi->readers == 0) {
		msg_result(m, -1, 1);
		return;
	}
	proc_msg_get(m, 2, p->wait_buf, n);
	k = pipe_put(pi, p->wait_buf, n);
	if (k < n) {
		if (!proc_park(p, W_PIPE_WRITE, pi, n - k, m, reply))
			return;
		p->wait_done = k;
	} else {
		msg_result(m, n, 1);
	}
	pipe_pump(pi);                   /* bytes for waiting readers */
}

void file_pipe(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct pipe *pi = NULL;
	struct file *r, *w;
	int rfd, wfd;
	unsigned i;

	(void)reply;
	msg_result(m, -1, 1);
	for (i = 0; i < NPIPE && pi == NULL; i++)
		if (!pipes[i].used)
			pi = &pipes[i];
	if (pi == NULL || (r = file_alloc(F_PIPE, true, false)) == NULL)
		return;
	if ((w = file_alloc(F_PIPE, false, true)) == NULL) {
		r->type = F_NONE;
		return;
	}
	*pi = (struct pipe){ .used = true, .readers = 1, .writers = 1 };
	r->pipe = w->pipe = pi;
	rfd = fd_alloc(p, r);
	wfd = rfd < 0 ? -1 : fd_alloc(p, w);
	if (wfd < 0) {
		if (rfd >= 0)
			p->fd[rfd] = NULL;
		r->type = w->type = F_NONE;
		pi->used = false;
		return;
	}
	msg_result(m, 0, 3);
	m->mr[1] = (uint64_t)rfd;
	m->mr[2] = (uint64_t)wfd;
}

/* --- the requests -------------------------------------------------------------------- */

void file_read(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct file *f = fd_file(p, m->mr[0]);
	uint32_t n = m->mr[1] < DATA_MAX ? (uint32_t)m->mr[1] : DATA_MAX;

	msg_result(m, -1, 1);
	if (f == NULL || !f->readable)
		return;
	if (f->type == F_PIPE)
		pipe_read(p, f->pipe, n, m, reply);
	else if (f->type == F_CONSOLE)
		console_read(p, n, m, reply);
	else if (fs_submit(p, PROC_READ, f->handle, n, NULL, 0) == ERR_OK)
		*reply = false;
}

void file_write(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct file *f = fd_file(p, m->mr[0]);
	uint32_t n = (uint32_t)m->mr[1];
	static unsigned char buf[DATA_MAX];

	if (f == NULL || !f->writable || m->mr[1] > DATA_MAX ||
	    MSGINFO_LENGTH(m->info) < 2 + (n + 7) / 8) {
		msg_result(m, -1, 1);
		return;
	}
	if (f->type == F_PIPE) {
		pipe_write(p, f->pipe, n, m, reply);
		return;
	}
	proc_msg_get(m, 2, buf, n);
	msg_result(m, -1, 1);
	if (f->type == F_CONSOLE) {
		console_write(buf, n);
		msg_result(m, n, 1);
	} else if (fs_submit(p, PROC_WRITE, f->handle, 0, buf, n) == ERR_OK) {
		*reply = false;
	}
}

void file_fstat(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct file *f = fd_file(p, m->mr[0]);
	struct xv6_stat st = { .type = XV6_T_DEVICE, .nlink = 1 };

	msg_result(m, -1, 1);
	if (f != NULL && f->type == F_INODE && fs_submit(p, PROC_FSTAT, f->handle, 0, NULL, 0) == ERR_OK)
		*reply = false;
	if (f == NULL || f->type != F_CONSOLE)
		return;
	msg_result(m, 0, 1 + (sizeof(st) + 7) / 8);
	proc_msg_put(m, 1, &st, sizeof(st));
}

/* The nul-terminated path of at most PATH_MAX bytes in m's words from
 * `first`, into path: its length with the nul, or 0 for none. */
static uint32_t msg_path(const struct ipc_msg *m, unsigned first, char *path, size_t max)
{
	unsigned words = (unsigned)MSGINFO_LENGTH(m->info);
	size_t n = words > first ? (words - first) * 8 : 0;

	if (n == 0 || n > max)
		return 0;
	proc_msg_get(m, first, path, n);
	path[n - 1] = '\0';
	return (uint32_t)strlen(path) + 1;
}

/* open(path, mode): through the file server; without one, the one file
 * there is is the console, by its name. */
void file_open(struct proc *p, struct ipc_msg *m, bool *reply)
{
	char path[PATH_MAX + 8];
	unsigned mode = (unsigned)m->mr[0];
	uint32_t n = msg_path(m, 1, path, sizeof(path));
	struct file *f;
	int fd;

	msg_result(m, -1, 1);
	if (n == 0 || n > PATH_MAX)
		return;
	if (fs_present()) {
		if (fs_submit(p, PROC_OPEN, fs_dir(p), fs_open_flags(mode), path, n) == ERR_OK)
			*reply = false;
		return;
	}
	if (strcmp(path, "console") != 0 && strcmp(path, "/console") != 0)
		return;
	f = file_alloc(F_CONSOLE, (mode & 3) != O_WRONLY, (mode & 3) != O_RDONLY);
	if (f == NULL)
		return;
	fd = fd_alloc(p, f);
	if (fd < 0)
		f->type = F_NONE;
	msg_result(m, fd, 1);
}

/* mkdir, unlink, chdir, mknod, link, symlink: one job for the fs worker
 * with the path (two, for link and symlink) as its bytes. */
void file_path_call(struct proc *p, struct ipc_msg *m, bool *reply)
{
	unsigned op = (unsigned)MSGINFO_LABEL(m->info);
	bool two = op == PROC_LINK || op == PROC_SYMLINK;
	unsigned first = op == PROC_MKNOD ? 2 : two ? 1 : 0;
	uint64_t arg = op == PROC_MKNOD ? (m->mr[0] & 0xffff) | (m->mr[1] & 0xffff) << 16 : m->mr[0];
	char paths[2 * PATH_MAX + 8];
	unsigned words = (unsigned)MSGINFO_LENGTH(m->info);
	size_t raw = words > first ? (words - first) * 8 : 0;
	uint32_t n = two ? 0 : msg_path(m, first, paths, sizeof(paths)), len = n;

	if (two && raw > 0 && raw <= sizeof(paths) && arg > 0 && arg <= PATH_MAX && arg < raw) {
		/* target (arg bytes with its nul), then path */
		proc_msg_get(m, first, paths, raw);
		paths[raw - 1] = '\0';
		len = (uint32_t)arg + (uint32_t)strlen(paths + arg) + 1;
		n = paths[arg - 1] == '\0' && len - arg <= PATH_MAX ? len : 0;
	}
	msg_result(m, -1, 1);
	if (n == 0 || (!two && n > PATH_MAX) || !fs_present())
		return;
	if (fs_submit(p, op, fs_dir(p), arg, paths, len) == ERR_OK)
		*reply = false;
}

/* driver_crash(name): the disk driver, "blk", is the one proc reaches,
 * through the file server (FS_INJECT: the driver faults just before the
 * server's next request to it, so in the middle of whatever file call
 * comes next). The server refuses unless root started it with fault
 * injection (the `inject=1` boot argument). */
void file_driver_crash(struct proc *p, struct ipc_msg *m, bool *reply)
{
	char name[PATH_MAX + 8];
	uint32_t n = msg_path(m, 0, name, sizeof(name));

	msg_result(m, -1, 1);
	if (n == 0 || strcmp(name, "blk") != 0 || !fs_present())
		return;
	if (fs_submit(p, PROC_DRIVER_CRASH, 0, 0, NULL, 0) == ERR_OK)
		*reply = false;
}

void file_close(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct file *f = fd_file(p, m->mr[0]);

	(void)reply;
	if (f != NULL) {
		p->fd[m->mr[0]] = NULL;
		file_put(f);
	}
	msg_result(m, f == NULL ? -1 : 0, 1);
}

void file_dup(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct file *f = fd_file(p, m->mr[0]);
	int fd = f == NULL ? -1 : fd_alloc(p, f);

	(void)reply;
	if (fd >= 0)
		f->ref++;
	msg_result(m, fd, 1);
}
