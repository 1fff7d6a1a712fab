/*
 * cap_world.h - a small world for the capability tests: one caller thread
 * whose CSpace is a CNode in fake RAM, holding (in slot 1) a capability to
 * that CNode, (slot 2) one big Untyped and (slot 3) IRQControl. Tests reach
 * the kernel the way user space does, through invoke_call(), with the
 * wrappers below; cptrs and CNode arguments are slots of that CSpace.
 *
 * world_init() also tells the model (cap_model.h) about these boot objects,
 * so a test can run model_check() at any point. Call it once per test
 * (the kernel's thread list and ASIDs live for the whole test process).
 */
#ifndef MICA_CAP_WORLD_H
#define MICA_CAP_WORLD_H

#include "cap.h"
#include "fake_arch.h"
#include "thread.h"

/* Fake RAM: the CSpace (at most 1 MiB), the caller and its IPC buffer,
 * memory no object owns, and the Untyped's usual place (to the end). */
#define WORLD_ROOT_PA   FAKE_RAM_BASE
#define WORLD_CALLER_PA (FAKE_RAM_BASE + 0x100000)
#define WORLD_IPC_PA    (FAKE_RAM_BASE + 0x101000)
#define WORLD_SPARE_PA  (FAKE_RAM_BASE + 0x102000)
#define WORLD_UT_PA     (FAKE_RAM_BASE + 0x200000)
#define WORLD_UT_BITS   21

#define SLOT_CNODE 1      /* the CSpace's own CNode */
#define SLOT_UT    2
#define SLOT_IRQ   3
#define SLOT_FREE  4      /* the first free slot */

#define WORLD_IRQ_LINES 32

struct world {
	struct thread *caller;
	unsigned radix;       /* of the CSpace */
	int cnode_obj, ut_obj, irq_obj;   /* model objects */
};

extern struct world world;

/* A fresh fake RAM and world; the Untyped covers 2^ut_bits bytes at ut_pa. */
void world_init(unsigned radix, paddr_t ut_pa, unsigned ut_bits, bool ut_device);
/* Make t (a thread on the kernel's lists) thread_current(), as if the
 * scheduler had entered it; invoke_call() answers only the current thread.
 * t ends RUNNABLE. world_init() does this for the caller. */
void world_make_current(struct thread *t);
/* Slot `index` of the CSpace, and its model key. */
struct cte *world_slot(uint64_t index);
int world_key(uint64_t index);

/* invoke_call() with these arguments; returns its error code. */
int world_call(cptr_t cptr, unsigned label, unsigned nargs, const uint64_t *args);
/* Result word i of the last call. */
uint64_t world_result(unsigned i);

int world_retype(cptr_t ut, uint64_t type, uint64_t size_bits, cptr_t cnode, uint64_t first,
		 uint64_t count);
int world_copy(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot, uint64_t rights);
int world_mint(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot, uint64_t rights,
	       uint64_t badge);
int world_move(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot);
int world_delete(cptr_t cnode, uint64_t slot);
int world_revoke(cptr_t cnode, uint64_t slot);
/* describe: *type, *rights, *data, *size_bits, *paddr in out[0..4]. */
int world_describe(cptr_t cnode, uint64_t slot, uint64_t out[5]);

#endif /* MICA_CAP_WORLD_H */
