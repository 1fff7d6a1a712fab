/*
 * invoke.h - the user library's named function for every invocation in
 * lib/objects.h. Each returns the kernel's error code (errors.h): 0 on
 * success. User programs only; the kernel never includes this.
 *
 * Capabilities are named by cptr_t: a slot in the caller's CSpace. Slots in
 * another CNode are named (cnode, slot): a CNode capability in the caller's
 * CSpace and an index into that CNode. Invocations with more than four
 * words of arguments or results use the IPC buffer whose address is in tp.
 */
#ifndef MICA_INVOKE_H
#define MICA_INVOKE_H

#include <stdint.h>

#include "msg.h"
#include "objects.h"

/* A thread's registers as TCB_READ_REGISTERS and TCB_WRITE_REGISTERS pass
 * them: pc, then x1..x31 by ABI name. */
struct user_regs {
	uint64_t pc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
	uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64_t t3, t4, t5, t6;
};

/* What CNODE_DESCRIBE says about a slot. */
struct cap_info {
	uint64_t type;       /* enum obj_type; OBJ_NULL for an empty slot */
	uint64_t rights;
	uint64_t data;       /* badge, bytes retyped, or mapped address (by type) */
	uint64_t size_bits;
	uint64_t paddr;
};

/* The general form: invoke label on cap with nargs argument words, and
 * copy at most max_results result words to results (may be NULL). */
int invoke(cptr_t cap, unsigned label, const uint64_t *args, unsigned nargs,
	   uint64_t *results, unsigned max_results);

int untyped_retype(cptr_t untyped, unsigned type, unsigned size_bits, cptr_t cnode,
		   cptr_t first_slot, unsigned count);
/* The same for any count: one retype per RETYPE_MAX_COUNT objects, the most
 * the kernel makes in one call. Stops at the first error; the objects made
 * before it stay. */
int untyped_retype_many(cptr_t untyped, unsigned type, unsigned size_bits, cptr_t cnode,
			cptr_t first_slot, unsigned count);

int cnode_copy(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot, unsigned rights);
int cnode_mint(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot, unsigned rights,
	       uint64_t badge);
int cnode_move(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot);
int cnode_delete(cptr_t cnode, cptr_t slot);
int cnode_revoke(cptr_t cnode, cptr_t slot);
int cnode_describe(cptr_t cnode, cptr_t slot, struct cap_info *info);
/* Keep the pending reply of the last call received in (cnode, slot) as a
 * Reply capability: answer it later with ipc_send() on that slot. */
int cnode_save_reply(cptr_t cnode, cptr_t slot);

int tcb_configure(cptr_t tcb, cptr_t cspace, cptr_t vspace, cptr_t ipc_frame,
		  uint64_t ipc_vaddr, cptr_t fault_ep, unsigned priority);
int tcb_read_registers(cptr_t tcb, struct user_regs *regs);
int tcb_write_registers(cptr_t tcb, const struct user_regs *regs);
int tcb_resume(cptr_t tcb);
int tcb_suspend(cptr_t tcb);
/* At most 15 characters are kept. */
int tcb_set_name(cptr_t tcb, const char *name);
/* Signals to ntfn wake the thread while it waits on an endpoint, too. */
int tcb_bind_notification(cptr_t tcb, cptr_t ntfn);
int tcb_unbind_notification(cptr_t tcb);
/* 0..PRIORITY_MAX, and never above the calling thread's own. */
int tcb_set_priority(cptr_t tcb, unsigned priority);

/* level 1: a table covering 1 GiB at a 1 GiB-aligned vaddr; level 0: 2 MiB. */
int page_table_map(cptr_t page_table, cptr_t vspace, uint64_t vaddr, unsigned level);
int page_table_unmap(cptr_t page_table);
/* rights: MAP_READ | MAP_WRITE | MAP_EXEC */
int frame_map(cptr_t frame, cptr_t vspace, uint64_t vaddr, unsigned rights);
int frame_unmap(cptr_t frame);
int frame_paddr(cptr_t frame, uint64_t *paddr);

int irq_control_get(cptr_t irq_control, unsigned irq, cptr_t cnode, cptr_t slot);
/* Interrupts on the line signal ntfn (with the badge of its cap); the line
 * is unmasked now and masked at each interrupt until irq_handler_ack. */
int irq_handler_set_notification(cptr_t irq_handler, cptr_t ntfn);
int irq_handler_ack(cptr_t irq_handler);
int irq_handler_clear(cptr_t irq_handler);

/* Signal ntfn (with its cap's badge, 1 if none) once time_now() >= deadline;
 * deadline 0 cancels. One timer per notification: a new one replaces it. */
int notification_set_timer(cptr_t ntfn, uint64_t deadline);

#endif /* MICA_INVOKE_H */
