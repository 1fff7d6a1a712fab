/*
 * fs.c - files of the file system (lib/fs_proto.h): open, read, write,
 * stat, the directory calls, and reading a program for exec.
 *
 * A file-system call waits for the disk, and proc's main thread never
 * waits on another server. So, as for the console (console.c), a thread
 * of proc's own does the waiting: the fs worker. The main thread parks the
 * caller (W_FS), queues a job, and gives the worker the oldest job as the
 * reply to the worker's last call; the worker makes the fs calls through
 * its buffer shared with the server and hands the result back in its next
 * call (badge PROC_BADGE_WORKER | WORKER_FS). proc is one client of the
 * file server, with one buffer, so its jobs run one at a time, in order.
 * A job whose process has died meanwhile is finished for nobody: a handle
 * it opened is closed again.
 */
#include "proc.h"
#include "errors.h"
#include "fs_format.h"
#include "fs_proto.h"
#include "invoke.h"
#include "root_proto.h"
#include "str.h"

#define FSW_STACK_TOP   0x2000013000ul   /* two pages, a guard page below */
#define FSW_IPC         0x2000014000ul
#define FS_BUF_VADDR    0x2000100000ul   /* the buffer shared with the file server */
#define FS_BUF_PAGES    4
#define EXEC_BUF_VADDR  0x2000200000ul   /* a program being read for exec */
#define EXEC_BUF_PAGES  64
#define SLOT_FSW_EP     22u
#define SLOT_FSW_REPLY  23u
#define SLOT_FSW_TCB    24u
#define NJOBS           (NPROC + NFILE)  /* a wait per process, a close per file */
#define CONSOLE_MAJOR   1                /* the console's device number, as in xv6 */
#define XV6_O_NOFOLLOW  0x800            /* xv6's kernel/fcntl.h; fs_proto.h has its own */
#define ROOTDEV         1

/* main -> worker: label op, word 0 the handle or directory, 1 an argument,
 * 2 the bytes' length, bytes from word 3. worker -> main: label op,
 * word 0 the error, 1 the value, 2..4 a stat as the server sends it,
 * bytes from word 5. */
enum { JOB_WORDS = 3, RESULT_WORDS = 5 };
_Static_assert(PROC_IO_MAX <= PROC_MSG_BYTES(RESULT_WORDS), "a read's bytes fit a result");

struct fs_job {
	unsigned op;
	struct proc *p;          /* who waits (NULL: nobody) */
	uint64_t seq;            /* ...in the wait with this number */
	uint64_t handle, arg;
	uint32_t len;
	unsigned char data[PROC_MSG_BYTES(JOB_WORDS)];
};

static bool fs_up;
static struct fs_job *jobs;              /* a ring of NJOBS */
static unsigned job_head, job_count;
static struct fs_job running;            /* the job the worker has */
static bool worker_busy, worker_idle;    /* has a job; its call is saved */

/* --- the worker thread ------------------------------------------------------ */

static struct fs_client fsc;

static void fsw_stat(struct ipc_msg *m, const struct fs_stat *st)
{
	m->mr[2] = st->inum | (uint64_t)st->type << 32 | (uint64_t)st->nlink << 48;
	m->mr[3] = st->size;
	ipc_buffer()->mr[4] = st->major | (uint64_t)st->minor << 16;
}

/* Read the whole file at handle into the exec buffer: its size. */
static int fsw_read_program(uint64_t handle, uint64_t size, uint64_t *value)
{
	uint64_t done = 0;
	size_t n;
	int err = size > EXEC_BUF_PAGES * PAGE_SIZE ? ERR_RANGE : ERR_OK;

	while (err == ERR_OK && done < size) {
		uint64_t want = size - done < FS_BUF_PAGES * PAGE_SIZE ? size - done : FS_BUF_PAGES * PAGE_SIZE;

		err = fs_read(&fsc, handle, (void *)(EXEC_BUF_VADDR + done), want, done, &n);
		if (err == ERR_OK && n == 0)
			err = ERR_TRUNCATED;
		done += n;
	}
	*value = done;
	return err;
}

static cptr_t fs_frames[FS_BUF_PAGES];

/* One fs request for op: the server's error; *value, *st, *n its results. */
static int fsw_job(unsigned op, uint64_t h, uint64_t arg, const char *path, const char *second,
		   unsigned char *data, uint64_t len, struct fs_stat *st, uint64_t *value, size_t *n)
{
	static unsigned kind;    /* of the next driver fault */
	bool opened;
	int err;

	*value = 0;
	*n = 0;
	switch (op) {
	case PROC_OPEN:
	case PROC_CHDIR:
	case PROC_EXEC:
		err = fs_open(&fsc, h, path, op == PROC_OPEN ? (unsigned)arg : FS_O_RDONLY, value, st);
		opened = err == ERR_OK;
		if (err == ERR_OK && op == PROC_CHDIR && st->type != FS_T_DIR)
			err = ERR_NOT_DIRECTORY;
		if (err == ERR_OK && op == PROC_EXEC)
			err = st->type != FS_T_FILE ? ERR_BAD_FORMAT : fsw_read_program(*value, st->size, n);
		if (opened && (err != ERR_OK || op == PROC_EXEC))
			fs_close(&fsc, *value);  /* kept only by an open or chdir that worked */
		if (op == PROC_EXEC)
			*value = *n;
		return err;
	case PROC_READ:
		err = fs_read(&fsc, h, data, arg < PROC_IO_MAX ? arg : PROC_IO_MAX, FS_OFF_HANDLE, n);
		*value = *n;
		return err;
	case PROC_WRITE:
		*value = len;
		return fs_write(&fsc, h, data, len, FS_OFF_HANDLE);
	case PROC_CLOSE:
		return fs_close(&fsc, h);
	case PROC_FSTAT:
		return fs_fstat(&fsc, h, st);
	case PROC_MKDIR:
		return fs_mkdir(&fsc, h, path);
	case PROC_UNLINK:
		return fs_unlink(&fsc, h, path);
	case PROC_MKNOD:
		return fs_mknod(&fsc, h, path, (unsigned)(arg & 0xffff), (unsigned)(arg >> 16));
	case PROC_LINK:
		return fs_link(&fsc, h, path, second);
	case PROC_SYMLINK:
		return fs_symlink(&fsc, h, path, second);
	case PROC_DRIVER_CRASH:
		/* Each time the next way to die (enum server_fault). */
		return fs_inject(&fsc, FS_FAULT_KILL_DRIVER, 1, kind++ % FAULT_KINDS, NULL);
	default:
		return ERR_INVALID_OPERATION;
	}
}

/* One job, from the order in m; the result goes back in m. A file server
 * that was restarted (root does that to one that dies) knows nothing of
 * proc's buffer, and one that died during a request cancels it: connect
 * again and try once more. Handles opened before are gone with it. */
static void fsw_do(struct ipc_msg *m)
{
	static unsigned char data[PROC_MSG_BYTES(JOB_WORDS) + 1];
	unsigned op = (unsigned)MSGINFO_LABEL(m->info);
	uint64_t h = m->mr[0], arg = m->mr[1], len = m->mr[2] <= PROC_MSG_BYTES(JOB_WORDS) ? m->mr[2] : 0;
	const char *path = (const char *)data, *second = (const char *)data + arg;
	struct fs_stat st = { 0 };
	uint64_t value = 0;
	size_t n = 0;
	int err;

	proc_msg_get(m, JOB_WORDS, data, len);
	data[len] = '\0';
	if ((op == PROC_LINK || op == PROC_SYMLINK) && arg >= len)
		second = "";
	err = fsw_job(op, h, arg, path, second, data, len, &st, &value, &n);
	if (err == ERR_CANCELLED || err == ERR_BAD_ADDRESS || err == ERR_NO_RIGHTS) {
		if (fs_connect(&fsc, PROC_SLOT_FS, (uint8_t *)FS_BUF_VADDR, fs_frames, FS_BUF_PAGES) ==
		    ERR_OK)
			err = fsw_job(op, h, arg, path, second, data, len, &st, &value, &n);
	}
	*m = (struct ipc_msg){ .info = MSGINFO(op, 0, RESULT_WORDS + (op == PROC_READ ? (n + 7) / 8 : 0)),
			       .mr = { (uint64_t)err, value } };
	fsw_stat(m, &st);
	if (op == PROC_READ && err == ERR_OK)
		proc_msg_put(m, RESULT_WORDS, data, n);
}

static void fsw_main(void)
{
	struct ipc_msg m = { .info = MSGINFO(0, 0, 0) };    /* the first call: "ready" */

	for (;;) {
		ipc_call(SLOT_FSW_EP, &m);
		fsw_do(&m);
	}
}

/* --- the main thread's side ------------------------------------------------- */

bool fs_present(void)
{
	return fs_up;
}

int fs_init(void)
{
	struct cap_info info;
	uint16_t page;
	unsigned i;
	int err = cnode_describe(PROC_SLOT_CNODE, PROC_SLOT_FS, &info);

	if (err != ERR_OK || info.type != OBJ_ENDPOINT)
		return ERR_OK;                   /* no file system: the boot image only */
	jobs = mem_table(NJOBS * sizeof(*jobs));
	if (jobs == NULL)
		return ERR_NO_MEMORY;
	for (i = 0; i < FS_BUF_PAGES; i++) {
		if ((err = page_alloc(OBJ_FRAME, 0, &page)) ||
		    (err = self_map(SLOT_PAGE_OBJ + page, FS_BUF_VADDR + i * PAGE_SIZE)))
			return err;
		fs_frames[i] = SLOT_PAGE_OBJ + page;
	}
	for (i = 0; i < EXEC_BUF_PAGES; i++)
		if ((err = page_alloc(OBJ_FRAME, 0, &page)) ||
		    (err = self_map(SLOT_PAGE_OBJ + page, EXEC_BUF_VADDR + i * PAGE_SIZE)))
			return err;
	/* Connect before the worker runs: its client is ready when it starts. */
	err = fs_connect(&fsc, PROC_SLOT_FS, (uint8_t *)FS_BUF_VADDR, fs_frames, FS_BUF_PAGES);
	if (err == ERR_OK)
		err = worker_start(SLOT_FSW_TCB, SLOT_FSW_EP, PROC_BADGE_WORKER | WORKER_FS, fsw_main,
				   FSW_STACK_TOP, FSW_IPC, "proc-fs");
	fs_up = err == ERR_OK;
	return err;
}

/* Give the worker the oldest job, if it is free for one. */
static void fs_kick(void)
{
	struct ipc_msg m;
	struct fs_job *j;

	if (!worker_idle || job_count == 0)
		return;
	j = &jobs[job_head];
	job_head = (job_head + 1) % NJOBS;
	job_count--;
	running = *j;
	m = (struct ipc_msg){ .info = MSGINFO(j->op, 0, JOB_WORDS + (j->len + 7) / 8),
			      .mr = { j->handle, j->arg, j->len } };
	proc_msg_put(&m, JOB_WORDS, j->data, j->len);
	worker_idle = false;
	worker_busy = true;
	ipc_send(SLOT_FSW_REPLY, &m);
}

int fs_submit(struct proc *p, unsigned op, uint64_t handle, uint64_t arg, const void *data,
	      uint32_t len)
{
	struct fs_job *j;

	if (job_count == NJOBS || len > sizeof(j->data))
		return ERR_NO_MEMORY;
	if (p != NULL && proc_block(p, W_FS) != ERR_OK)
		return ERR_NO_MEMORY;
	j = &jobs[(job_head + job_count++) % NJOBS];
	*j = (struct fs_job){ .op = op, .p = p, .seq = p != NULL ? p->wait_seq : 0, .handle = handle,
			      .arg = arg, .len = len };
	memcpy(j->data, data, len);
	fs_kick();
	return ERR_OK;
}

void fs_close_handle(uint64_t handle)
{
	fs_submit(NULL, PROC_CLOSE, handle, 0, NULL, 0);
}

uint64_t fs_dir(const struct proc *p)
{
	return p->cwd != NULL ? file_handle(p->cwd) : FS_HANDLE_ROOT;
}

/* The xv6 struct stat of the server's stat words in m. */
static void fs_xv6_stat(const struct ipc_msg *m, struct xv6_stat *st)
{
	*st = (struct xv6_stat){ .dev = ROOTDEV, .ino = (uint32_t)m->mr[2],
				 .type = (short)(uint16_t)(m->mr[2] >> 32),
				 .nlink = (short)(uint16_t)(m->mr[2] >> 48), .size = m->mr[3] };
}

/* The worker's result for `running`, whose process waits (checked). */
static void fs_finish(struct proc *p, struct ipc_msg *m)
{
	int err = (int)m->mr[0];
	uint64_t value = m->mr[1];
	unsigned op = running.op;
	struct xv6_stat st;
	struct ipc_msg a;

	msg_result(&a, err == ERR_OK ? 0 : -1, 1);
	switch (op) {
	case PROC_OPEN:
		if (err == ERR_OK)
			msg_result(&a, file_opened(p, value, (unsigned)running.arg,
						   (unsigned)(uint16_t)(m->mr[2] >> 32),
						   (unsigned)(uint16_t)ipc_buffer()->mr[4]), 1);
		break;
	case PROC_CHDIR:
		if (err == ERR_OK && file_chdir(p, value) != ERR_OK)
			msg_result(&a, -1, 1);
		break;
	case PROC_READ:
		if (err == ERR_OK) {
			static unsigned char data[PROC_IO_MAX];

			proc_msg_get(m, RESULT_WORDS, data, value);
			file_read_reply(&a, data, (uint32_t)value);
			a.mr[1] = value > 0 && value == running.arg ? PROC_READ_MORE : 0;
		}
		break;
	case PROC_WRITE:
		if (err == ERR_OK)
			msg_result(&a, (long)value, 1);
		break;
	case PROC_FSTAT:
		if (err == ERR_OK) {
			fs_xv6_stat(m, &st);
			msg_result(&a, 0, 1 + (sizeof(st) + 7) / 8);
			proc_msg_put(&a, 1, &st, sizeof(st));
		}
		break;
	case PROC_EXEC:
		if (err == ERR_OK) {
			proc_exec_loaded(p, (const void *)EXEC_BUF_VADDR, value);
			return;              /* it runs its new program, or exec's -1 */
		}
		break;
	default:
		break;
	}
	proc_answer(p, &a);
}

void fs_worker_message(struct ipc_msg *m, bool *reply)
{
	struct proc *p = running.p;

	*reply = false;
	if (worker_busy) {
		worker_busy = false;
		if (p != NULL && p->state == P_BLOCKED && p->wait == W_FS && p->wait_seq == running.seq)
			fs_finish(p, m);
		else if ((running.op == PROC_OPEN || running.op == PROC_CHDIR) && m->mr[0] == ERR_OK)
			fs_close_handle(m->mr[1]);   /* opened for a process that is gone */
	}
	if (cnode_save_reply(PROC_SLOT_CNODE, SLOT_FSW_REPLY) == ERR_OK)
		worker_idle = true;
	fs_kick();
}

/* O_* of xv6 to FS_O_* (only O_NOFOLLOW differs). */
unsigned fs_open_flags(unsigned mode)
{
	return (mode & ~(unsigned)XV6_O_NOFOLLOW) | (mode & XV6_O_NOFOLLOW ? FS_O_NOFOLLOW : 0);
}

unsigned fs_console_major(void)
{
	return CONSOLE_MAJOR;
}
