/*
 * invoke.c - from the `call` system call to an object's decode function.
 *
 * Reads the message (registers, then the IPC buffer), checks it against the
 * invocation table (lib/objects.h) so no decode function ever sees a short
 * message, a label meant for another type or a capability without the
 * rights the table asks of it, and writes the results back
 * the same way they came. Calls on endpoints are IPC, not invocations:
 * sys_call() sends those to ipc.c before they get here.
 */
#include "invoke.h"
#include "errors.h"
#include "ipc.h"

struct invocation_row {
	uint8_t type, nargs, rights;
};

static const struct invocation_row invocation_rows[] = {
#define INVOCATION_ROW_ENTRY(NAME, label, type, nargs, rights) [label] = { type, nargs, rights },
	INVOCATION_TABLE(INVOCATION_ROW_ENTRY)
#undef INVOCATION_ROW_ENTRY
};

static int (*const invoke_by_type[OBJ_TYPE_COUNT])(struct invocation *) = {
	[OBJ_UNTYPED] = untyped_invoke,
	[OBJ_CNODE] = cnode_invoke,
	[OBJ_TCB] = tcb_invoke,
	[OBJ_PAGE_TABLE] = page_table_invoke,
	[OBJ_FRAME] = frame_invoke,
	[OBJ_IRQ_CONTROL] = irq_control_invoke,
	[OBJ_IRQ_HANDLER] = irq_handler_invoke,
	[OBJ_NOTIFICATION] = notification_invoke,
};

int invoke_lookup(struct thread *t, cptr_t cptr, unsigned type, unsigned rights, struct cte **out)
{
	struct cte *c = cnode_slot(t->cspace, t->cspace_radix, cptr);

	if (c == NULL || c->cap.type == OBJ_NULL || (type != OBJ_NULL && c->cap.type != type))
		return ERR_INVALID_CAP;
	if ((c->cap.rights & rights) != rights)
		return ERR_NO_RIGHTS;
	*out = c;
	return ERR_OK;
}

int invoke_slot(struct thread *t, cptr_t cnode_cptr, uint64_t index, unsigned rights, bool empty,
		struct cte **out)
{
	struct cte *cnode, *slot;
	int err = invoke_lookup(t, cnode_cptr, OBJ_CNODE, rights, &cnode);

	if (err != ERR_OK)
		return err;
	slot = cnode_slot(cnode->cap.paddr, cnode->cap.size_bits, index);
	if (slot == NULL)
		return ERR_RANGE;
	if ((slot->cap.type == OBJ_NULL) != empty)
		return empty ? ERR_SLOT_OCCUPIED : ERR_INVALID_CAP;
	*out = slot;
	return ERR_OK;
}

int invoke_call(struct thread *t, struct cte *slot)
{
	static struct invocation inv;   /* one call at a time (big kernel lock); keeps it off the stack */
	uint64_t info = t->regs.x[REG_A1];
	unsigned len = MSGINFO_LENGTH(info), i;
	struct ipc_buffer *buf = ipc_buffer_of(t);
	const struct invocation_row *row;
	int err;

	/* No memset: a decode function reads only the nargs words the table
	 * promised (len >= nargs below), and results count from 0. */
	inv.nresults = 0;
	inv.caller = t;
	inv.label = (unsigned)MSGINFO_LABEL(info);   /* checked against the table below */
	inv.slot = slot;
	if (MSGINFO_LABEL(info) >= ARRAY_SIZE(invocation_rows))
		return ERR_INVALID_OPERATION;
	row = &invocation_rows[inv.label];
	if (row->type != inv.slot->cap.type)
		return ERR_INVALID_OPERATION;   /* another type's label, or a gap in the table */
	if (len > MSG_MAX_WORDS)
		return ERR_INVALID_ARGUMENT;
	if (len < row->nargs)
		return ERR_TRUNCATED;
	if (len > MSG_REG_WORDS && buf == NULL)
		return ERR_BAD_ADDRESS;
	if ((inv.slot->cap.rights & row->rights) != row->rights)
		return ERR_NO_RIGHTS;
	for (i = 0; i < len; i++)
		inv.arg[i] = i < MSG_REG_WORDS ? t->regs.x[REG_A2 + i] : buf->mr[i];

	err = invoke_by_type[inv.slot->cap.type](&inv);
	if (thread_current() != t || err == INVOKE_RESTART)
		return err;             /* the caller's own TCB is gone, or it calls again */

	/* Results go back the way arguments came; a caller without an IPC
	 * buffer gets only what fits in registers. */
	if (inv.nresults > MSG_REG_WORDS && buf == NULL)
		inv.nresults = MSG_REG_WORDS;
	for (i = 0; i < inv.nresults; i++)
		*(i < MSG_REG_WORDS ? &t->regs.x[REG_A2 + i] : &buf->mr[i]) = inv.result[i];
	t->regs.x[REG_A1] = MSGINFO(0, 0, inv.nresults);
	return err;
}
