/*
 * main.c - the process server's start and its one receive loop.
 *
 * proc is started with the capabilities of lib/proc_proto.h in its CSpace
 * and a0 = root's SERVER_ARG_* flags. It cuts its memory into the page
 * pool and then only answers messages: requests from processes (badge
 * PROC_BADGE_PROCESS | index), their faults (with PROC_BADGE_FAULT), its
 * own threads (PROC_BADGE_WORKER: the console reader, the fs worker),
 * which do its waiting on other servers, its timer (the bound
 * notification), and from outside: the supervisor's SERVER_PING and
 * SERVER_INJECT, and PROC_BOOT, which starts the first process. A
 * process's request goes to the function its label names in one table
 * (requests[]). A bad request gets an error; proc never waits on a client.
 */
#include "proc.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "root_proto.h"

static uint64_t start_flags;

int worker_start(cptr_t tcb_slot, cptr_t ep_slot, uint64_t badge, void (*fn)(void),
		 uint64_t stack_top, uint64_t ipc_va, const char *name)
{
	struct user_regs regs = { 0 };
	uint16_t tcb, ipc, stack;
	unsigned i;
	int err;

	if ((err = page_alloc(OBJ_TCB, 0, &tcb)) || (err = page_alloc(OBJ_FRAME, 0, &ipc)) ||
	    (err = self_map(SLOT_PAGE_OBJ + ipc, ipc_va)))
		return err;
	for (i = 1; i <= 2 && err == ERR_OK; i++)
		if ((err = page_alloc(OBJ_FRAME, 0, &stack)) == ERR_OK)
			err = self_map(SLOT_PAGE_OBJ + stack, stack_top - i * PAGE_SIZE);
	if (err != ERR_OK ||
	    (err = cnode_move(PROC_SLOT_CNODE, tcb_slot, PROC_SLOT_CNODE, SLOT_PAGE_OBJ + tcb)) ||
	    (err = cnode_mint(PROC_SLOT_CNODE, ep_slot, PROC_SLOT_CNODE, PROC_SLOT_EP, RIGHT_WRITE,
			      badge)) ||
	    (err = tcb_configure(tcb_slot, PROC_SLOT_CNODE, PROC_SLOT_VSPACE, SLOT_PAGE_OBJ + ipc, ipc_va,
				 PROC_SLOT_SUPERVISOR, PROC_PRIORITY)) ||
	    (err = tcb_set_name(tcb_slot, name)))
		return err;
	__asm__("mv %0, gp" : "=r"(regs.gp));
	regs.pc = (uint64_t)fn;
	regs.sp = stack_top;
	regs.tp = ipc_va;
	err = tcb_write_registers(tcb_slot, &regs);
	return err == ERR_OK ? tcb_resume(tcb_slot) : err;
}

/* The process a badge names, if it is alive. */
static struct proc *main_sender(uint64_t badge)
{
	uint64_t i = badge & PROC_BADGE_INDEX;

	if (i >= NPROC)
		return NULL;
	return procs[i].state == P_RUNNING ? &procs[i] : NULL;
}

/* What proc does for each label a process sends (lib/proc_proto.h). */
static request_fn *const requests[] = {
	[PROC_GETPID] = proc_getpid,   [PROC_FORK] = proc_fork,     [PROC_EXIT] = proc_exit_call,
	[PROC_WAIT] = proc_wait,       [PROC_KILL] = proc_kill,     [PROC_EXEC] = proc_exec,
	[PROC_SBRK] = proc_sbrk,       [PROC_SLEEP] = proc_sleep,   [PROC_READ] = file_read,
	[PROC_WRITE] = file_write,     [PROC_CLOSE] = file_close,   [PROC_DUP] = file_dup,
	[PROC_PIPE] = file_pipe,       [PROC_OPEN] = file_open,     [PROC_MKNOD] = file_path_call,
	[PROC_UNLINK] = file_path_call, [PROC_FSTAT] = file_fstat,  [PROC_LINK] = file_path_call,
	[PROC_MKDIR] = file_path_call, [PROC_CHDIR] = file_path_call,
	[PROC_MEMINFO] = proc_meminfo_call, [PROC_POWEROFF] = proc_poweroff_call,
	[PROC_SYMLINK] = file_path_call, [PROC_DRIVER_CRASH] = file_driver_crash,
};

/* A request from process p: the reply is in *m (*reply) or p waits. */
static void main_request(struct proc *p, struct ipc_msg *m, bool *reply)
{
	uint64_t label = MSGINFO_LABEL(m->info);

	if (label < sizeof(requests) / sizeof(requests[0]) && requests[label] != NULL)
		requests[label](p, m, reply);
	else
		msg_result(m, -1, 1);       /* PROC_BOOT, or no such request */
}

/* A message from outside: the supervisor, or whoever boots the system. */
static void main_outside(struct ipc_msg *m, bool *reply)
{
	switch (MSGINFO_LABEL(m->info)) {
	case SERVER_PING:
		m->info = MSGINFO(ERR_OK, 0, 0);
		break;
	case SERVER_INJECT:
		if (!(start_flags & SERVER_ARG_INJECT)) {
			m->info = MSGINFO(ERR_NO_RIGHTS, 0, 0);
			break;
		}
		if (MSGINFO_LENGTH(m->info) >= 2 && m->mr[1] < FAULT_KINDS)
			server_fault((unsigned)m->mr[1]);
		m->info = MSGINFO(ERR_INVALID_ARGUMENT, 0, 0);
		break;
	case PROC_BOOT:
		proc_boot(m, reply);
		break;
	default:
		m->info = MSGINFO(ERR_INVALID_OPERATION, 0, 0);
		break;
	}
}

static int main_init(void)
{
	uint16_t page;
	int err = mem_init();

	if (err == ERR_OK)
		err = file_init();
	if (err == ERR_OK)
		err = page_get(&page);
	if (err == ERR_OK)
		err = untyped_retype(SLOT_PAGE_UT + page, OBJ_NOTIFICATION, 0, PROC_SLOT_CNODE, SLOT_NTFN, 1);
	if (err == ERR_OK)
		err = tcb_bind_notification(PROC_SLOT_TCB, SLOT_NTFN);
	if (err == ERR_OK)
		err = console_init();
	if (err == ERR_OK)
		err = fs_init();
	if (err == ERR_OK)
		err = proc_init(start_flags);
	return err;
}

int main(uint64_t flags)
{
	struct ipc_msg m = { 0 };
	bool reply = false;
	int err;

	start_flags = flags;
	err = main_init();
	if (err != ERR_OK) {
		printf("proc: cannot start: %s\n", err_name(err));
		return 1;
	}
	for (;;) {
		struct proc *p;

		err = reply ? ipc_reply_recv(PROC_SLOT_EP, &m) : ipc_recv(PROC_SLOT_EP, &m);
		reply = false;
		if (err != ERR_OK)
			continue;
		if (MSGINFO_FLAGS(m.info) & MSGINFO_FLAG_NOTIFY) {
			proc_timer();
			continue;
		}
		reply = true;
		if (m.badge & PROC_BADGE_WORKER) {
			if ((m.badge & PROC_BADGE_INDEX) == WORKER_FS)
				fs_worker_message(&m, &reply);
			else
				console_reader_message(&m, &reply);
			continue;
		}
		if (!(m.badge & PROC_BADGE_PROCESS)) {
			main_outside(&m, &reply);
			continue;
		}
		p = main_sender(m.badge);
		if (p == NULL)
			msg_result(&m, -1, 1);
		else if (!(m.badge & PROC_BADGE_FAULT))
			main_request(p, &m, &reply);
		else if (MSGINFO_FLAGS(m.info) & MSGINFO_FLAG_FAULT)
			proc_fault(p, &m, &reply);
		else
			msg_result(&m, -1, 1);    /* a call on its fault endpoint: not a fault */
	}
}
