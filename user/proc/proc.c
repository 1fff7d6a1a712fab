/*
 * proc.c - processes: the table, and the requests that make, change and
 * end them (spawn, fork, exec, exit, wait, kill, getpid, sbrk, sleep).
 *
 * A process is one thread in an address space of its own, made of pool
 * pages (mem.c): a TCB and a 4-slot CNode sharing one page, a VSpace, an
 * IPC buffer, page tables and the pages of its image. Its CNode holds
 * only two badged copies of proc's endpoint: for calls and for faults.
 * Ending a process gives all of that back at once (proc_exit); what
 * remains is the table entry, a zombie, until its parent waits for it.
 * The first process (init) adopts every orphan.
 */
#include "proc.h"
#include "bootimg.h"
#include "elf.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "str.h"
#include "sys.h"

#define MAXARG        32

struct proc *procs;
static int next_pid = 1;
static bool booted;                 /* a PROC_BOOT is being served */
static uint64_t wait_seq;
static struct bootimg bootimg;
static struct proc *init_proc;

unsigned proc_count(void)
{
	unsigned i, n = 0;

	for (i = 0; i < NPROC; i++)
		n += procs[i].state != P_FREE;
	return n;
}

static struct proc *proc_by_pid(int pid)
{
	unsigned i;

	for (i = 0; i < NPROC; i++)
		if (procs[i].state != P_FREE && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

static cptr_t proc_slot(const struct proc *p, unsigned k)
{
	return PROC_SLOT_OF(proc_index(p), k);
}

/* --- making and unmaking the objects ----------------------------------------- */

/* Give back everything p's thread and address space are made of. */
static void proc_free_objects(struct proc *p)
{
	if (p->objs_page != 0)
		page_free(p->objs_page);         /* the thread stops here */
	cnode_delete(PROC_SLOT_CNODE, proc_slot(p, PSLOT_REPLY));
	as_destroy(&p->as);
	if (p->ipc_page != 0)
		page_free(p->ipc_page);
	if (p->vspace_page != 0)
		page_free(p->vspace_page);
	p->objs_page = p->ipc_page = p->vspace_page = 0;
}

/* A new process entry with a thread (not running) in an empty address
 * space. NULL if the table or memory is full (nothing is kept then). */
static struct proc *proc_alloc(const char *name)
{
	struct proc *p = NULL;
	unsigned i, badge;
	cptr_t ipc;
	int err;

	for (i = 0; i < NPROC && p == NULL; i++)
		if (procs[i].state == P_FREE)
			p = &procs[i];
	if (p == NULL)
		return NULL;
	memset(p, 0, sizeof(*p));
	badge = (unsigned)(PROC_BADGE_PROCESS | proc_index(p));
	str_copy(p->name, name, sizeof(p->name));
	err = page_get(&p->objs_page);
	if (err != ERR_OK) {
		p->objs_page = 0;
		return NULL;
	}
	if ((err = untyped_retype(SLOT_PAGE_UT + p->objs_page, OBJ_TCB, 0, PROC_SLOT_CNODE,
				  proc_slot(p, PSLOT_TCB), 1)) ||
	    (err = untyped_retype(SLOT_PAGE_UT + p->objs_page, OBJ_CNODE, PROC_CLIENT_RADIX,
				  PROC_SLOT_CNODE, proc_slot(p, PSLOT_CNODE), 1)) ||
	    (err = page_alloc(OBJ_VSPACE, 0, &p->vspace_page)) ||
	    (err = page_alloc(OBJ_FRAME, 0, &p->ipc_page)))
		goto fail;
	p->as.vspace = SLOT_PAGE_OBJ + p->vspace_page;
	ipc = SLOT_PAGE_OBJ + p->ipc_page;
	if ((err = cnode_mint(proc_slot(p, PSLOT_CNODE), PROC_SLOT_SERVER, PROC_SLOT_CNODE, PROC_SLOT_EP,
			      RIGHT_WRITE, badge)) ||
	    (err = cnode_mint(proc_slot(p, PSLOT_CNODE), PROC_SLOT_FAULT, PROC_SLOT_CNODE, PROC_SLOT_EP,
			      RIGHT_WRITE, badge | PROC_BADGE_FAULT)) ||
	    (err = as_map(&p->as, ipc, PROC_IPC_VADDR, MAP_READ | MAP_WRITE)) ||
	    (err = tcb_configure(proc_slot(p, PSLOT_TCB), proc_slot(p, PSLOT_CNODE), p->as.vspace, ipc,
				 PROC_IPC_VADDR, PROC_SLOT_FAULT, PROC_PROCESS_PRIORITY)) ||
	    (err = tcb_set_name(proc_slot(p, PSLOT_TCB), name)))
		goto fail;
	p->pid = next_pid++;
	p->state = P_RUNNING;
	return p;
fail:
	proc_free_objects(p);
	return NULL;
}

/* --- exec --------------------------------------------------------------------- */

/* The program a path names: for now, the boot-image file of its last part. */
static int exec_find(const char *path, const void **elf, size_t *size)
{
	const char *base = path, *s;

	for (s = path; *s != '\0'; s++)
		if (*s == '/')
			base = s + 1;
	return bootimg_find(&bootimg, base, elf, size);
}

struct elf_fill {
	const struct elf_image *img;
	const struct elf_segment *seg;
	uint64_t va;
};

static void fill_elf(void *arg, void *page)
{
	const struct elf_fill *f = arg;

	elf_segment_page(f->img, f->seg, f->va, page);
}

/* The new stack page: the argument strings at its top, the argv array
 * below them; *sp and *argv_va come back as the program will see them. */
struct stack_fill {
	const char *strings;       /* argc nul-terminated strings, packed */
	size_t len;
	unsigned argc;
	uint64_t top;              /* the user address of the page's end */
	uint64_t sp, argv;
};

static size_t stack_need(size_t len, unsigned argc)
{
	return ((len + 15) & ~15ul) + (((argc + 1) * 8 + 15) & ~15ul);
}

static void fill_stack(void *arg, void *page)
{
	struct stack_fill *f = arg;
	unsigned char *p = page;
	size_t str_off = PAGE_SIZE - ((f->len + 15) & ~15ul);
	size_t argv_off = str_off - (((f->argc + 1) * 8 + 15) & ~15ul);
	uint64_t *argv = (uint64_t *)(p + argv_off);
	size_t at = 0;
	unsigned i;

	memcpy(p + str_off, f->strings, f->len);
	for (i = 0; i < f->argc; i++) {
		argv[i] = f->top - PAGE_SIZE + str_off + at;
		at += strlen(f->strings + at) + 1;
	}
	argv[f->argc] = 0;
	f->sp = f->top - PAGE_SIZE + argv_off;
	f->argv = f->sp;
}

/* Replace p's image with the ELF file, arguments `args` (argc packed
 * strings, len bytes): the file is checked before anything is dropped, so
 * a bad file leaves p as it was (ERR_BAD_FORMAT). A failure later (memory)
 * leaves p without an image: the caller must end it. On success p's
 * thread is set to start at the entry (not resumed). */
static int proc_load(struct proc *p, const void *elf, size_t size, const char *args, size_t len,
		     unsigned argc, bool *image_lost)
{
	struct elf_image img;
	struct elf_segment seg;
	struct user_regs regs;
	struct stack_fill stack = { .strings = args, .len = len, .argc = argc };
	uint64_t end = 0, va;
	unsigned i;
	int err = elf_open(&img, elf, size, PROC_MAX_SIZE - 2 * PAGE_SIZE);

	*image_lost = false;
	if (err != ERR_OK || stack_need(len, argc) > PAGE_SIZE)
		return err != ERR_OK ? err : ERR_RANGE;
	*image_lost = true;
	as_drop(&p->as, 0, p->as.size);
	for (i = 0; err == ERR_OK && i < elf_segment_count(&img); i++) {
		unsigned rights;

		elf_segment(&img, i, &seg);
		rights = (seg.perm & ELF_PERM_R ? MAP_READ : 0) | (seg.perm & ELF_PERM_W ? MAP_WRITE : 0) |
			 (seg.perm & ELF_PERM_X ? MAP_EXEC : 0);
		for (va = seg.vaddr & ~(PAGE_SIZE - 1); err == ERR_OK && va < seg.vaddr + seg.memsz;
		     va += PAGE_SIZE) {
			struct elf_fill f = { &img, &seg, va };

			err = as_new_page(&p->as, va, rights, fill_elf, &f);
		}
		if (seg.vaddr + seg.memsz > end)
			end = seg.vaddr + seg.memsz;
	}
	/* A guard page, then the stack page, as xv6 lays them out; the heap
	 * grows above. */
	end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	p->as.size = end + 2 * PAGE_SIZE;
	stack.top = p->as.size;
	if (err == ERR_OK)
		err = as_reserve(&p->as, end, end + PAGE_SIZE, 0);
	if (err == ERR_OK)
		err = as_new_page(&p->as, end + PAGE_SIZE, MAP_READ | MAP_WRITE, fill_stack, &stack);
	if (err != ERR_OK)
		return err;
	memset(&regs, 0, sizeof(regs));
	regs.pc = elf_entry(&img);
	regs.sp = stack.sp;
	regs.a0 = argc;
	regs.a1 = stack.argv;
	regs.tp = PROC_IPC_VADDR;
	return tcb_write_registers(proc_slot(p, PSLOT_TCB), &regs);
}

/* Run the program (elf, size) in p with the arguments in p->exec_args,
 * after the path: p, waiting in its exec, is suspended (which drops the
 * call) and resumed at the new entry; a file that is no program resumes
 * it as if exec had returned -1; a failure after the old image is gone
 * ends p. */
static void proc_exec_run(struct proc *p, const void *elf, size_t size)
{
	size_t path_len = strlen(p->exec_args) + 1;
	bool lost;
	int err;

	p->state = P_RUNNING;
	p->wait = W_NONE;
	err = tcb_suspend(proc_slot(p, PSLOT_TCB));
	if (err == ERR_OK)
		err = proc_load(p, elf, size, p->exec_args + path_len, p->exec_len - path_len,
				p->exec_argc, &lost);
	if (err == ERR_OK) {
		const char *base = p->exec_args, *s;

		for (s = p->exec_args; *s != '\0'; s++)
			if (*s == '/')
				base = s + 1;
		str_copy(p->name, base, sizeof(p->name));
		tcb_set_name(proc_slot(p, PSLOT_TCB), p->name);
		tcb_resume(proc_slot(p, PSLOT_TCB));
	} else if (lost) {
		printf("proc: pid %d: exec %s: %s, the process ends\n", p->pid, p->exec_args,
		       err_name(err));
		proc_exit(p, -1);
	} else {
		/* The old image is intact: back after the ecall with the reply
		 * -1 in place, as if the call had failed. */
		struct user_regs regs;

		tcb_read_registers(proc_slot(p, PSLOT_TCB), &regs);
		regs.a0 = ERR_OK;
		regs.a1 = MSGINFO(0, 0, 1);
		regs.a2 = (uint64_t)-1;
		tcb_write_registers(proc_slot(p, PSLOT_TCB), &regs);
		tcb_resume(proc_slot(p, PSLOT_TCB));
	}
}

void proc_exec_loaded(struct proc *p, const void *elf, size_t size)
{
	proc_exec_run(p, elf, size);
}

/* exec(path, argv) for p: "path\0arg0\0...\0" at an address of p's. The
 * program comes from the file system (the fs worker reads it, and
 * proc_exec_loaded() goes on), or else from the boot image. */
void proc_exec(struct proc *p, struct ipc_msg *m, bool *reply)
{
	uint64_t va = m->mr[0], len = m->mr[1];
	const void *elf;
	size_t size, path_len, i;
	unsigned argc = 0;

	msg_result(m, -1, 1);
	if (len < 2 || len > sizeof(p->exec_args) ||
	    as_copy_in(&p->as, va, p->exec_args, len) != ERR_OK || p->exec_args[len - 1] != '\0')
		return;
	path_len = strlen(p->exec_args) + 1;
	for (i = path_len; i < len; i++)
		argc += p->exec_args[i] == '\0';
	if (argc > MAXARG)
		return;
	p->exec_len = (uint32_t)len;
	p->exec_argc = argc;
	if (fs_present()) {
		if (fs_submit(p, PROC_EXEC, fs_dir(p), 0, p->exec_args, (uint32_t)path_len) == ERR_OK)
			*reply = false;
		return;
	}
	if (exec_find(p->exec_args, &elf, &size) != ERR_OK)
		return;
	*reply = false;              /* proc_exec_run() drops the call */
	proc_exec_run(p, elf, size);
}

int proc_init(uint64_t flags)
{
	const struct proc_bootimg *b = (const struct proc_bootimg *)PROC_BOOTIMG_VADDR;

	(void)flags;
	procs = mem_table(NPROC * sizeof(*procs));
	if (procs == NULL)
		return ERR_NO_MEMORY;
	if (b->magic != PROC_BOOTIMG_MAGIC)
		return ERR_BAD_FORMAT;
	return bootimg_open(&bootimg, (const char *)b + PAGE_SIZE, b->size);
}

/* PROC_BOOT: flags in word 0, "path\0args..." from word 1. */
void proc_boot(struct ipc_msg *m, bool *reply)
{
	static char block[PROC_MSG_BYTES(1)];
	uint64_t flags = m->mr[0];
	size_t len = MSGINFO_LENGTH(m->info) >= 2 ? (MSGINFO_LENGTH(m->info) - 1) * 8 : 0, i;
	const void *elf;
	size_t size;
	unsigned argc = 0;
	bool lost;
	int err = ERR_INVALID_ARGUMENT;

	if (len > 0 && !booted) {
		proc_msg_get(m, 1, block, len);
		while (len > 1 && block[len - 2] == '\0')    /* the padding of the last word */
			len--;
		for (i = 0; i < len; i++)
			argc += block[i] == '\0';
		err = block[len - 1] == '\0' && argc <= MAXARG ? exec_find(block, &elf, &size)
								 : ERR_INVALID_ARGUMENT;
	}
	if (err == ERR_OK) {
		struct proc *p = proc_alloc(block);

		err = p == NULL ? ERR_NO_MEMORY : proc_load(p, elf, size, block, len, argc, &lost);
		if (err == ERR_OK && (flags & PROC_BOOT_CONSOLE_FDS))
			err = file_console_fds(p);
		if (err == ERR_OK)
			err = tcb_resume(proc_slot(p, PSLOT_TCB));
		if (err != ERR_OK && p != NULL) {
			proc_exit(p, -1);        /* no parent: the entry is free again */
		} else if (err == ERR_OK) {
			init_proc = p;
			cnode_save_reply(PROC_SLOT_CNODE, SLOT_BOOT_REPLY);
		}
	}
	if (err == ERR_OK) {
		booted = true;
		*reply = false;
		return;
	}
	m->info = MSGINFO(err, 0, 0);
}

/* The end of the boot: answer PROC_BOOT with status. */
static void proc_boot_done(int status)
{
	struct ipc_msg m = { .info = MSGINFO(ERR_OK, 0, 1), .mr = { (uint64_t)(int64_t)status } };

	ipc_send(SLOT_BOOT_REPLY, &m);
	booted = false;
}

/* --- fork, exit, wait, kill ---------------------------------------------------- */

void proc_fork(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct proc *c = proc_alloc(p->name);
	struct user_regs regs;
	int err;

	(void)reply;
	msg_result(m, -1, 1);
	if (c == NULL)
		return;
	c->parent = p;
	err = as_fork(&c->as, &p->as);
	if (err == ERR_OK)
		err = tcb_read_registers(proc_slot(p, PSLOT_TCB), &regs);
	if (err == ERR_OK) {
		/* The child comes back from the same ecall with fork's reply: 0. */
		regs.a0 = ERR_OK;
		regs.a1 = MSGINFO(0, 0, 1);
		regs.a2 = 0;
		regs.a6 = 0;
		err = tcb_write_registers(proc_slot(c, PSLOT_TCB), &regs);
	}
	if (err == ERR_OK) {
		file_fork(c, p);
		err = tcb_resume(proc_slot(c, PSLOT_TCB));
	}
	if (err != ERR_OK) {
		file_close_all(c);
		proc_free_objects(c);
		c->state = P_FREE;
		return;
	}
	m->mr[0] = (uint64_t)c->pid;
}

/* Free a zombie's entry and tell the waiter its pid and status. */
static void proc_reap(struct proc *z, struct ipc_msg *m)
{
	msg_result(m, z->pid, 2);
	m->mr[1] = (uint64_t)(int64_t)z->status;
	z->state = P_FREE;
}

/* A waiting parent gets this zombie child now. */
static void proc_notify_parent(struct proc *z)
{
	struct proc *parent = z->parent;
	struct ipc_msg m;

	if (parent == NULL) {
		z->state = P_FREE;              /* nobody will ever wait for it */
	} else if (parent->state == P_BLOCKED && parent->wait == W_CHILD) {
		proc_reap(z, &m);
		proc_answer(parent, &m);
	}
}

void proc_exit(struct proc *p, int status)
{
	unsigned i;

	if (p->state == P_BLOCKED)
		file_cancel(p);
	file_close_all(p);
	proc_free_objects(p);
	p->state = P_ZOMBIE;
	p->wait = W_NONE;
	p->status = status;
	for (i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];

		if (c->state == P_FREE || c->parent != p)
			continue;
		c->parent = init_proc != p ? init_proc : NULL;
		c->adopted = true;
		if (c->state == P_ZOMBIE)
			proc_notify_parent(c);
	}
	if (p == init_proc) {
		printf("proc: %s (pid %d), the first process, exited with status %d\n", p->name, p->pid,
		       status);
		init_proc = NULL;
		proc_boot_done(status);
	}
	proc_notify_parent(p);
}

void proc_wait(struct proc *p, struct ipc_msg *m, bool *reply)
{
	bool children = false;
	unsigned i;

	for (i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];

		if (c->state == P_FREE || c->parent != p)
			continue;
		if (c->state == P_ZOMBIE) {
			proc_reap(c, m);
			return;
		}
		children = true;
	}
	if (!children || proc_block(p, W_CHILD) != ERR_OK)
		msg_result(m, -1, 1);
	else
		*reply = false;
}

void proc_kill(struct proc *p, struct ipc_msg *m, bool *reply)
{
	struct proc *t = proc_by_pid((int)m->mr[0]);

	msg_result(m, t == NULL ? -1 : 0, 1);
	if (t == NULL || t->state == P_ZOMBIE)
		return;
	if (t == p)
		*reply = false;
	proc_exit(t, -1);
}

/* --- sbrk, sleep ----------------------------------------------------------------- */

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

void proc_sbrk(struct proc *p, struct ipc_msg *m, bool *reply)
{
	int64_t n = (int64_t)m->mr[0];
	uint64_t old = p->as.size, new = old + (uint64_t)n;

	(void)reply;
	msg_result(m, -1, 1);
	if (n > 0) {
		/* Lazy, but never promised beyond what the pool holds. */
		if ((uint64_t)n > PROC_MAX_SIZE - old ||
		    (page_up(new) - page_up(old)) / PAGE_SIZE > mem_free_pages() ||
		    as_reserve(&p->as, page_up(old), page_up(new), MAP_READ | MAP_WRITE) != ERR_OK)
			return;
	} else if (n < 0) {
		if ((uint64_t)-n > old)
			return;
		as_drop(&p->as, page_up(new), page_up(old));
	}
	p->as.size = new;
	m->mr[0] = old;
}

/* Arm proc's timer for the earliest sleeper. */
static void proc_arm_timer(void)
{
	uint64_t first = 0;
	unsigned i;

	for (i = 0; i < NPROC; i++)
		if (procs[i].state == P_BLOCKED && procs[i].wait == W_SLEEP &&
		    (first == 0 || procs[i].wake_at < first))
			first = procs[i].wake_at;
	notification_set_timer(SLOT_NTFN, first);
}

void proc_timer(void)
{
	uint64_t now = time_now();
	struct ipc_msg m;
	unsigned i;

	for (i = 0; i < NPROC; i++)
		if (procs[i].state == P_BLOCKED && procs[i].wait == W_SLEEP && procs[i].wake_at <= now) {
			msg_result(&m, 0, 1);
			proc_answer(&procs[i], &m);
		}
	proc_arm_timer();
}

void proc_sleep(struct proc *p, struct ipc_msg *m, bool *reply)
{
	int64_t ticks = (int64_t)m->mr[0];

	msg_result(m, 0, 1);
	if (ticks <= 0)
		return;
	p->wake_at = time_now() + (uint64_t)ticks * PROC_TIME_PER_TICK;
	if (proc_block(p, W_SLEEP) != ERR_OK) {
		msg_result(m, -1, 1);
		return;
	}
	*reply = false;
	proc_arm_timer();
}

/* --- blocking and answering ---------------------------------------------------- */

int proc_block(struct proc *p, enum proc_wait why)
{
	int err = cnode_save_reply(PROC_SLOT_CNODE, proc_slot(p, PSLOT_REPLY));

	if (err == ERR_OK) {
		p->state = P_BLOCKED;
		p->wait = why;
		p->wait_seq = ++wait_seq;
	}
	return err;
}

bool proc_park(struct proc *p, enum proc_wait why, const void *on, uint32_t n, struct ipc_msg *m,
	       bool *reply)
{
	if (proc_block(p, why) != ERR_OK) {
		msg_result(m, -1, 1);
		return false;
	}
	p->wait_on = on;
	p->wait_n = n;
	*reply = false;
	return true;
}

void proc_answer(struct proc *p, struct ipc_msg *m)
{
	ipc_send(proc_slot(p, PSLOT_REPLY), m);
	p->state = P_RUNNING;
	p->wait = W_NONE;
}

struct proc *proc_waiter(enum proc_wait why, const void *on)
{
	struct proc *best = NULL;
	unsigned i;

	for (i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_BLOCKED && p->wait == why && p->wait_on == on &&
		    (best == NULL || p->wait_seq < best->wait_seq))
			best = p;
	}
	return best;
}

void proc_poweroff(void)
{
	unsigned i;

	for (i = 0; i < NPROC; i++)
		if (procs[i].state == P_RUNNING || procs[i].state == P_BLOCKED)
			if (&procs[i] != init_proc)
				proc_exit(&procs[i], -1);
	for (i = 0; i < NPROC; i++)
		if (procs[i].state == P_ZOMBIE && &procs[i] != init_proc)
			procs[i].state = P_FREE;
	printf("proc: every process has ended\n");
	if (init_proc != NULL)
		proc_exit(init_proc, 0);     /* answers PROC_BOOT */
	for (i = 0; i < NPROC; i++)
		if (procs[i].state == P_ZOMBIE)
			procs[i].state = P_FREE;
}

/* The foreground job is what a shell waits for. A shell is a child init
 * started itself (not one it adopted, as every job started with & is), and
 * while it waits in wait() every process below it is the job: q's chain of
 * parents climbs to such a shell. Ctrl-C ends all of them at once, as
 * kill() would; the shell's wait() then returns and it prompts again. */
static bool proc_in_foreground(const struct proc *q)
{
	const struct proc *shell = q->parent;

	if (q->state != P_RUNNING && q->state != P_BLOCKED)
		return false;
	while (shell != NULL && shell->parent != init_proc)
		shell = shell->parent;
	return shell != NULL && init_proc != NULL && !shell->adopted &&
	       shell->state == P_BLOCKED && shell->wait == W_CHILD;
}

void proc_interrupt(void)
{
	bool job[NPROC];
	unsigned i;

	for (i = 0; i < NPROC; i++)
		job[i] = procs[i].parent != NULL && proc_in_foreground(&procs[i]);
	for (i = 0; i < NPROC; i++)
		if (job[i] && (procs[i].state == P_RUNNING || procs[i].state == P_BLOCKED))
			proc_exit(&procs[i], -1);
}

/* --- the requests ------------------------------------------------------------------ */

void proc_fault(struct proc *p, struct ipc_msg *m, bool *reply)
{
	uint64_t cause = m->mr[FAULT_MR_CAUSE], addr = m->mr[FAULT_MR_ADDR], pc = m->mr[FAULT_MR_PC];
	uint64_t fixup;
	int err;

	if (cause == FAULT_CAUSE_EXIT) {      /* Mica's raw exit system call */
		*reply = false;
		proc_exit(p, (int)addr);
		return;
	}
	err = as_fault(&p->as, cause, addr);
	if (err == ERR_OK) {
		m->info = MSGINFO(0, 0, 0);       /* run the instruction again */
		return;
	}
	fixup = mem_peek(p->ipc_page, PROC_IPC_FIXUP);
	if (fixup != 0) {                       /* a bad pointer in a system call */
		m->info = MSGINFO(0, 0, 1);
		m->mr[0] = fixup;
		return;
	}
	printf("proc: pid %d (%s) killed: %s, cause %lu at address %#lx, pc %#lx\n", p->pid, p->name,
	       err_name(err), cause, addr, pc);
	*reply = false;
	proc_exit(p, -1);
}

void proc_getpid(struct proc *p, struct ipc_msg *m, bool *reply)
{
	(void)reply;
	msg_result(m, p->pid, 1);
}

void proc_exit_call(struct proc *p, struct ipc_msg *m, bool *reply)
{
	*reply = false;
	proc_exit(p, (int)m->mr[0]);
}

void proc_meminfo_call(struct proc *p, struct ipc_msg *m, bool *reply)
{
	(void)p, (void)reply;
	msg_result(m, mem_free_pages(), 4);
	m->mr[1] = mem_free_slots();
	m->mr[2] = file_free_count();
	m->mr[3] = proc_count();
}

void proc_poweroff_call(struct proc *p, struct ipc_msg *m, bool *reply)
{
	(void)p, (void)m;
	*reply = false;
	proc_poweroff();
}
