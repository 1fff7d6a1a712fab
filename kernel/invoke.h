/*
 * invoke.h - invocations: a `call` on a capability to a kernel object
 * (docs/capabilities.md; lib/objects.h has the table).
 *
 * invoke_call() reads the message, finds the table row for its label,
 * checks the row's object type and length, and hands a struct invocation to
 * the type's <type>_invoke(). Each of those first decodes (every lookup,
 * right, size and address checked, nothing changed) and only then invokes,
 * in code that cannot fail on user input.
 */
#ifndef MICA_KERNEL_INVOKE_H
#define MICA_KERNEL_INVOKE_H

#include "cap.h"
#include "msg.h"
#include "thread.h"

#define INVOKE_MAX_RESULTS 32

struct invocation {
	struct thread *caller;
	struct cte *slot;                      /* the invoked capability */
	unsigned label;
	uint64_t arg[MSG_MAX_WORDS];
	uint64_t result[INVOKE_MAX_RESULTS];
	unsigned nresults;
};

/* Not an error: what an invocation returns when it stopped at a preemption
 * point (cap.h). The thread runs the same ecall again, registers untouched,
 * and the work goes on where it stopped. Never reaches user space. */
#define INVOKE_RESTART (-1)

/* The system call `call` on slot, the kernel object's capability that t
 * named in a0 (sys_call() looked it up); a1 = info, message registers as
 * msg.h says. Returns the error code. */
int invoke_call(struct thread *t, struct cte *slot);

/* The capability at cptr in t's CSpace if it has `type` (OBJ_NULL: any
 * non-empty) and every right in `rights`. ERR_INVALID_CAP, ERR_NO_RIGHTS. */
int invoke_lookup(struct thread *t, cptr_t cptr, unsigned type, unsigned rights, struct cte **out);
/* The slot `index` of the CNode whose capability, with every right in
 * `rights`, is at cnode_cptr in t's CSpace; it must be empty (a destination)
 * or hold a capability (a source), as `empty` says. ERR_INVALID_CAP,
 * ERR_NO_RIGHTS, ERR_RANGE (no such slot), then ERR_SLOT_OCCUPIED for a full
 * destination or ERR_INVALID_CAP for an empty source. */
int invoke_slot(struct thread *t, cptr_t cnode_cptr, uint64_t index, unsigned rights, bool empty,
		struct cte **out);

int untyped_invoke(struct invocation *inv);
int cnode_invoke(struct invocation *inv);
int tcb_invoke(struct invocation *inv);
int page_table_invoke(struct invocation *inv);
int frame_invoke(struct invocation *inv);
int irq_control_invoke(struct invocation *inv);
int irq_handler_invoke(struct invocation *inv);
int notification_invoke(struct invocation *inv);

#endif /* MICA_KERNEL_INVOKE_H */
