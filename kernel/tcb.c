/*
 * tcb.c - TCB invocations: configure, read and write registers, resume,
 * suspend, name, bind a notification, set the priority. A thread never
 * gives another a priority above its own (seL4's maximum controlled
 * priority, simplified), so priorities cannot be escalated.
 *
 * Configure gives a thread copies of the capabilities to its CSpace,
 * VSpace and IPC buffer (thread_hold), children of the ones named: the
 * objects live as long as the thread holds them, and revoking what was
 * named takes them away from it again (a thread without a VSpace stops).
 */
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "str.h"

_Static_assert(sizeof(struct thread) <= 1u << TCB_SIZE_BITS, "a thread fits its TCB object");

/* Registers travel as 32 words: pc, then x1..x31. */
#define TCB_REG_WORDS 32

struct tcb_config {
	struct cte *cspace, *vspace, *ipc_frame;
};

/* A capability argument that may be CPTR_NULL ("none"). */
static int tcb_optional_cap(struct invocation *inv, cptr_t cptr, unsigned type,
			    unsigned rights, struct cte **out)
{
	*out = NULL;
	return cptr == CPTR_NULL ? ERR_OK : invoke_lookup(inv->caller, cptr, type, rights, out);
}

static int tcb_decode_configure(struct invocation *inv, struct tcb_config *c)
{
	int err = tcb_optional_cap(inv, inv->arg[0], OBJ_CNODE, 0, &c->cspace);

	if (err == ERR_OK)
		err = tcb_optional_cap(inv, inv->arg[1], OBJ_VSPACE, RIGHT_WRITE, &c->vspace);
	if (err == ERR_OK)
		err = tcb_optional_cap(inv, inv->arg[2], OBJ_FRAME, RIGHT_WRITE, &c->ipc_frame);
	if (err != ERR_OK)
		return err;
	/* The kernel writes the IPC buffer through its map of RAM. */
	if (c->ipc_frame && c->ipc_frame->cap.is_device)
		return ERR_INVALID_ARGUMENT;
	/* Where the thread maps its IPC buffer is the user library's business
	 * (the kernel reaches the frame by its physical address), but an
	 * address no page could be mapped at is refused all the same. */
	if (inv->arg[3] % PAGE_SIZE != 0)
		return ERR_ALIGNMENT;
	if (inv->arg[3] >= USER_TOP)
		return ERR_INVALID_ARGUMENT;
	if (inv->arg[5] > inv->caller->priority)
		return ERR_INVALID_ARGUMENT;    /* no thread makes one that outranks it */
	return ERR_OK;
}

/* Returns ERR_OK, or INVOKE_RESTART if what t held before left a CNode to
 * empty and an interrupt came first (running it again changes nothing). */
static int tcb_configure(struct thread *t, struct invocation *inv, const struct tcb_config *c)
{
	thread_hold(t, c->cspace, c->vspace, c->ipc_frame);
	if (c->vspace == NULL)
		thread_suspend(t);
	t->fault_endpoint = inv->arg[4];
	thread_set_priority(t, (unsigned)inv->arg[5]);
	return cap_drain() ? ERR_OK : INVOKE_RESTART;
}

int tcb_invoke(struct invocation *inv)
{
	struct thread *t = pa_to_kva(inv->slot->cap.paddr);
	struct tcb_config config;
	struct cte *ntfn;
	int err;

	switch (inv->label) {
	case INV_TCB_CONFIGURE:
		err = tcb_decode_configure(inv, &config);
		return err == ERR_OK ? tcb_configure(t, inv, &config) : err;
	case INV_TCB_READ_REGISTERS:
		memcpy(inv->result, t->regs.x, TCB_REG_WORDS * sizeof(uint64_t));
		inv->result[0] = t->regs.pc;    /* in x0's place: x0 is always zero */
		inv->nresults = TCB_REG_WORDS;
		return ERR_OK;
	case INV_TCB_WRITE_REGISTERS:
		t->regs.pc = inv->arg[0];
		memcpy(&t->regs.x[1], &inv->arg[1], (TCB_REG_WORDS - 1) * sizeof(uint64_t));
		return ERR_OK;
	case INV_TCB_RESUME:
		/* Also restarts an exited or killed thread: a supervisor writes
		 * its registers first (that is how a driver is reincarnated). */
		if (t->vspace.root == 0)
			return ERR_INVALID_ARGUMENT;    /* nowhere to run */
		thread_resume(t);
		return ERR_OK;
	case INV_TCB_SUSPEND:
		thread_suspend(t);
		return ERR_OK;
	case INV_TCB_BIND_NOTIFICATION:
		err = invoke_lookup(inv->caller, inv->arg[0], OBJ_NOTIFICATION, RIGHT_READ, &ntfn);
		return err == ERR_OK ? ntfn_bind(t, pa_to_kva(ntfn->cap.paddr)) : err;
	case INV_TCB_UNBIND_NOTIFICATION:
		ntfn_unbind(t);
		return ERR_OK;
	case INV_TCB_SET_PRIORITY:
		if (inv->arg[0] > inv->caller->priority)
			return ERR_INVALID_ARGUMENT;
		thread_set_priority(t, (unsigned)inv->arg[0]);
		return ERR_OK;
	case INV_TCB_SET_NAME:
		memcpy(t->name, &inv->arg[0], 2 * sizeof(uint64_t));
		t->name[THREAD_NAME_MAX - 1] = '\0';
		return ERR_OK;
	default:
		return ERR_INVALID_OPERATION;
	}
}
