/*
 * proc.h - the process server's insides, shared by its files:
 *   mem.c    pages of memory, address spaces, the pager (copy-on-write)
 *   proc.c   processes: spawn, fork, exec, exit, wait, kill, sleep
 *   file.c   open files, file descriptors, pipes
 *   console.c the console device and its reader thread
 *   main.c   start-up and the one receive loop
 * Everything runs on proc's one thread, so nothing here locks. A request
 * that cannot be answered at once saves its caller's reply in the
 * process's reply slot (proc_block) and is answered later (proc_answer).
 */
#ifndef MICA_USER_PROC_H
#define MICA_USER_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc.h"
#include "objects.h"
#include "proc_proto.h"

#define PAGE_SIZE 4096ul
#define NPROC     64       /* processes at once (xv6's kernel/param.h) */
#define NOFILE    16       /* descriptors a process has */
#define NFILE     100      /* open files in the whole system */

/* --- mem.c ------------------------------------------------------------------ */
/* Slots of proc's CNode: page i of the pool is the 4 KiB Untyped in
 * SLOT_PAGE_UT + i and the one object made of it in SLOT_PAGE_OBJ + i;
 * further slots come and go one by one (slot_alloc). Page 0 is never used,
 * so 0 means "no page". */
#define MAX_PAGES     16384u
#define SLOT_PROC_BASE 64u                          /* 4 per process */
#define SLOT_PAGE_UT  1024u
#define SLOT_PAGE_OBJ (SLOT_PAGE_UT + MAX_PAGES)
#define SLOT_DYN_BASE (SLOT_PAGE_OBJ + MAX_PAGES)
#define SLOT_COUNT    PROC_SLOT_BOOTIMG_FIRST      /* the rest holds the boot image */

#define SLOT_NTFN      17u                          /* proc's timer */
#define SLOT_BOOT_REPLY 21u                         /* PROC_BOOT's caller, answered at the end */
#define PROC_SLOT_OF(i, k) (SLOT_PROC_BASE + (i) * 4 + (k))
enum { PSLOT_TCB, PSLOT_CNODE, PSLOT_VSPACE, PSLOT_REPLY };

/* One page of an address space: which pool page holds it (0: none yet),
 * the capability that maps it, what the program may do there (MAP_*; 0: a
 * hole, a fault there kills) and how it is mapped now. */
struct pte {
	uint32_t slot;
	uint16_t page;
	uint8_t rights;
	uint8_t mapped;
};
#define LEAF_PTES 512                              /* 2 MiB of address space */
#define DIR_LEAVES ((PROC_MAX_SIZE + LEAF_PTES * PAGE_SIZE - 1) / (LEAF_PTES * PAGE_SIZE))
#define MAX_PTS   64                               /* page tables of one address space */

struct aspace {
	cptr_t vspace;
	uint64_t size;                 /* the image is [0, size) */
	uint16_t leaf[DIR_LEAVES];     /* leaf pool index + 1, 0: none */
	uint16_t pts[MAX_PTS];         /* pool pages holding its page tables */
	unsigned npts;
};

int mem_init(void);
/* bytes of zeroed memory for a table of proc's own, from the pool, for
 * good (start-up only); NULL if the pool is too small. */
void *mem_table(size_t bytes);
unsigned mem_free_pages(void);
unsigned mem_free_slots(void);
/* A free pool page, not retyped yet: the caller retypes its Untyped
 * (SLOT_PAGE_UT + *page) and gives it back with page_free(). */
int page_get(uint16_t *page);
/* A pool page retyped into `type`, its object in SLOT_PAGE_OBJ + *page. */
int page_alloc(unsigned type, unsigned size_bits, uint16_t *page);
/* Give a page back: every object made of it, and every copy, is gone. */
void page_free(uint16_t page);
/* The word at offset of pool frame page (0 if it cannot be read). */
uint64_t mem_peek(uint16_t page, uint64_t offset);
cptr_t slot_alloc(void);
void slot_free(cptr_t slot);

/* Map cap at va in proc's own address space, read-write. */
int self_map(cptr_t cap, uint64_t va);
/* The pte of va in as, made (with its leaf) if make; NULL if there is none. */
struct pte *as_pte(struct aspace *as, uint64_t va, bool make);
/* Map cap at va with MAP_* rights, making page tables as needed. */
int as_map(struct aspace *as, cptr_t cap, uint64_t va, unsigned rights);
/* Mark [from, to) as memory with MAP_* rights, no pages yet (lazy). */
int as_reserve(struct aspace *as, uint64_t from, uint64_t to, unsigned rights);
/* Drop the pages of [from, to) (they are back in the pool when no other
 * address space shares them) and forget them. */
void as_drop(struct aspace *as, uint64_t from, uint64_t to);
/* Drop everything: pages, leaves, page tables. as->vspace stays. */
void as_destroy(struct aspace *as);
/* Share every page of parent with child, copy-on-write. */
int as_fork(struct aspace *child, struct aspace *parent);
/* A fresh page at va (rights), filled by fill(arg, page) through proc's
 * scratch mapping first if fill is not NULL. */
int as_new_page(struct aspace *as, uint64_t va, unsigned rights,
		void (*fill)(void *arg, void *page), void *arg);
/* Serve a page fault at va (cause is scause): ERR_OK if the program may go
 * on, an error if it touched memory it has no right to. */
int as_fault(struct aspace *as, uint64_t cause, uint64_t va);
/* Copy n bytes at va of as out to buf; ERR_BAD_ADDRESS if any is not
 * readable memory of the image. */
int as_copy_in(struct aspace *as, uint64_t va, void *buf, uint64_t n);

/* --- proc.c ----------------------------------------------------------------- */
enum proc_state { P_FREE, P_RUNNING, P_BLOCKED, P_ZOMBIE };
enum proc_wait { W_NONE, W_CHILD, W_SLEEP, W_PIPE_READ, W_PIPE_WRITE, W_CONSOLE, W_FS };
#define EXEC_MAX 1024            /* bytes of path and arguments exec takes */

struct file;
struct proc {
	enum proc_state state;
	int pid;
	struct proc *parent;
	int status;                    /* exit status, for wait */
	bool killed;
	bool adopted;                  /* init took it when its parent ended (a & job) */
	char name[16];
	struct aspace as;
	uint16_t objs_page;            /* TCB and CNode */
	uint16_t vspace_page;
	uint16_t ipc_page;
	struct file *fd[NOFILE];
	struct file *cwd;              /* NULL: the root directory */
	char exec_args[EXEC_MAX];      /* an exec waiting for its program: "path\0args" */
	uint32_t exec_len, exec_argc;
	/* While blocked (P_BLOCKED): what for, and the saved reply in PSLOT_REPLY. */
	enum proc_wait wait;
	uint64_t wait_seq;             /* blocked waiters are served oldest first */
	uint64_t wake_at;              /* W_SLEEP: the time counter's deadline */
	const void *wait_on;           /* W_PIPE_*: the pipe */
	uint32_t wait_n;               /* W_PIPE_READ: bytes wanted; WRITE: bytes left */
	uint32_t wait_done;            /* W_PIPE_WRITE: bytes already written */
	unsigned char wait_buf[PROC_IO_MAX];   /* W_PIPE_WRITE: the bytes */
};

extern struct proc *procs;           /* NPROC of them */

static inline unsigned proc_index(const struct proc *p)
{
	return (unsigned)(p - procs);
}

int proc_init(uint64_t flags);
/* PROC_BOOT from outside: start the first process. */
void proc_boot(struct ipc_msg *m, bool *reply);
void proc_fault(struct proc *p, struct ipc_msg *m, bool *reply);
void proc_timer(void);
/* Save p's pending reply: p waits (why), and proc answers it later. */
int proc_block(struct proc *p, enum proc_wait why);
/* proc_block() for a request m: p waits in why on `on` (a pipe, or NULL)
 * for n bytes, and true with *reply false; false, with -1 in m, if its
 * reply cannot be saved. */
bool proc_park(struct proc *p, enum proc_wait why, const void *on, uint32_t n, struct ipc_msg *m,
	       bool *reply);
/* Answer a blocked p with m (len words), making it runnable again. */
void proc_answer(struct proc *p, struct ipc_msg *m);
/* The oldest process blocked in `why` on `on` (a pipe), or NULL. */
struct proc *proc_waiter(enum proc_wait why, const void *on);
/* End p: close its files, give back its memory; a zombie until waited for. */
void proc_exit(struct proc *p, int status);
unsigned proc_count(void);
void proc_poweroff(void);
/* Ctrl-C at the console: end the foreground job. */
void proc_interrupt(void);

/* xv6's struct stat (kernel/stat.h), field for field. */
struct xv6_stat {
	int dev;
	unsigned ino;
	short type;
	short nlink;
	uint64_t size;
};
#define XV6_T_DEVICE 3

/* --- the requests ------------------------------------------------------------ */
/* What proc does for one label (main.c's table): p asked, with m; the
 * reply is left in *m, or, with *reply set false, p waits (proc_block) or
 * is gone. */
typedef void request_fn(struct proc *p, struct ipc_msg *m, bool *reply);
request_fn proc_getpid, proc_fork, proc_exit_call, proc_wait, proc_kill, proc_exec, proc_sbrk,
	proc_sleep, proc_meminfo_call, proc_poweroff_call;
request_fn file_read, file_write, file_close, file_dup, file_pipe, file_fstat, file_open,
	file_path_call, file_driver_crash;

/* --- main.c ----------------------------------------------------------------- */
enum { WORKER_CONSOLE, WORKER_FS };
/* A thread of proc's own running fn: its TCB in tcb_slot, a copy of
 * proc's endpoint badged `badge` in ep_slot, two stack pages below
 * stack_top, its IPC buffer at ipc_va, all from the pool for good. */
int worker_start(cptr_t tcb_slot, cptr_t ep_slot, uint64_t badge, void (*fn)(void),
		 uint64_t stack_top, uint64_t ipc_va, const char *name);

/* --- file.c ----------------------------------------------------------------- */
int file_init(void);
unsigned file_free_count(void);
/* The console on fds 0, 1 and 2. */
int file_console_fds(struct proc *p);
/* fork: the child's table is the parent's, sharing each open file. */
void file_fork(struct proc *child, const struct proc *parent);
/* exit: close every descriptor. */
void file_close_all(struct proc *p);
/* p is killed while blocked in a file request: forget its wait. */
void file_cancel(struct proc *p);
/* A read's reply: count bytes of buf. */
void file_read_reply(struct ipc_msg *m, const unsigned char *buf, uint32_t count);
/* An fs open for p worked: a new file and descriptor for handle (the
 * console, for the console's device file). The fd, or -1 (the handle is
 * closed again). */
int file_opened(struct proc *p, uint64_t handle, unsigned mode, unsigned type, unsigned major);
/* chdir worked: the directory at handle is p's working directory. */
int file_chdir(struct proc *p, uint64_t handle);
uint64_t file_handle(const struct file *f);

/* --- fs.c -------------------------------------------------------------------- */
int fs_init(void);
bool fs_present(void);
/* Queue op for the fs worker; p (unless NULL) waits for it in W_FS. */
int fs_submit(struct proc *p, unsigned op, uint64_t handle, uint64_t arg, const void *data,
	      uint32_t len);
void fs_close_handle(uint64_t handle);
/* The directory p's relative paths start at. */
uint64_t fs_dir(const struct proc *p);
unsigned fs_open_flags(unsigned mode);
unsigned fs_console_major(void);
/* A message from the fs worker. */
void fs_worker_message(struct ipc_msg *m, bool *reply);

/* proc.c: an exec's program has been read (elf, size) for p, which waits
 * in W_FS: p runs it, or its exec returns -1 if it is no program. */
void proc_exec_loaded(struct proc *p, const void *elf, size_t size);

/* --- console.c ------------------------------------------------------------------ */
int console_init(void);
void console_write(const void *buf, uint32_t n);
void console_read(struct proc *p, uint32_t n, struct ipc_msg *m, bool *reply);
/* A message from the reader thread (badge PROC_BADGE_WORKER). */
void console_reader_message(struct ipc_msg *m, bool *reply);

/* Reply words: the result in word 0, length len. */
static inline void msg_result(struct ipc_msg *m, long result, unsigned len)
{
	m->info = MSGINFO(0, 0, len);
	m->mr[0] = (uint64_t)result;
}

#endif /* MICA_USER_PROC_H */
