/*
 * cap_world.c - the caller thread, its CSpace and the invocation wrappers
 * of cap_world.h. Arguments travel exactly as msg.h says: a0 = cptr,
 * a1 = info, a2..a5 = words 0..3, the rest in the caller's IPC buffer.
 */
#include "cap_world.h"
#include "cap_model.h"
#include "errors.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */
#include "irq.h"
#include "msg.h"

#include <criterion/criterion.h>
#include <string.h>

struct world world;

struct cte *world_slot(uint64_t index)
{
	return (struct cte *)pa_to_kva(WORLD_ROOT_PA) + index;
}

int world_key(uint64_t index)
{
	return model_key(world_slot(index));
}

/* A boot capability (a root of the tree) in slot `index`, in the kernel and the model. */
static int world_boot_cap(uint64_t index, const struct cap *cap, unsigned size_bits)
{
	int obj = model_new_object(cap->type, cap->paddr, size_bits, cap->is_device, MODEL_NONE);

	cap_insert(world_slot(index), cap, NULL);
	model_insert(world_key(index), obj, cap->rights, 0, MODEL_NONE);
	return obj;
}

void world_init(unsigned radix, paddr_t ut_pa, unsigned ut_bits, bool ut_device)
{
	cr_assert(radix >= 3 &&
		  (1ul << (radix + CNODE_SLOT_BITS)) <= WORLD_CALLER_PA - WORLD_ROOT_PA);
	fake_arch_reset();
	world.radix = radix;
	world.caller = pa_to_kva(WORLD_CALLER_PA);
	thread_init(world.caller);
	world.caller->cspace = WORLD_ROOT_PA;
	world.caller->cspace_radix = radix;
	world.caller->ipc_buffer = WORLD_IPC_PA;
	world.caller->priority = PRIORITY_MAX;   /* as root has: it may give any */
	irq_init(WORLD_IRQ_LINES);
	model_reset(world.caller);

	world_slot(0)->cap.size_bits = (uint8_t)radix;   /* slot 0 keeps the radix (cap.h) */
	world.cnode_obj = world_boot_cap(SLOT_CNODE, &(struct cap){ .type = OBJ_CNODE,
		.rights = RIGHTS_ALL, .size_bits = (uint8_t)radix, .paddr = WORLD_ROOT_PA }, radix);
	world.ut_obj = world_boot_cap(SLOT_UT, &(struct cap){ .type = OBJ_UNTYPED,
		.rights = RIGHTS_ALL, .size_bits = (uint8_t)ut_bits, .paddr = ut_pa,
		.is_device = ut_device }, ut_bits);
	world.irq_obj = world_boot_cap(SLOT_IRQ, &(struct cap){ .type = OBJ_IRQ_CONTROL,
		.rights = RIGHTS_ALL }, 0);
	/* As root does: the caller holds its own CSpace (its IPC buffer is
	 * memory no object owns). */
	thread_hold(world.caller, world_slot(SLOT_CNODE), NULL, NULL);
	model_hold(world.caller, (int[]){ world_key(SLOT_CNODE), MODEL_NONE, MODEL_NONE });
	world.caller->ipc_buffer = WORLD_IPC_PA;
	world_make_current(world.caller);
}

void world_make_current(struct thread *t)
{
	jmp_buf back;

	/* The run queue's head becomes current; everything ahead of t goes
	 * to the back until t is at the head. */
	thread_resume(t);
	fake_user_entry = &back;
	if (setjmp(back) == 0)
		sched_resume();
	while (thread_current() != t) {
		if (setjmp(back) == 0) {
			sched_yield();
			sched_resume();
		}
	}
	fake_user_entry = NULL;
}

int world_call(cptr_t cptr, unsigned label, unsigned nargs, const uint64_t *args)
{
	struct ipc_buffer *buf = pa_to_kva(WORLD_IPC_PA);
	struct thread *t = world.caller;
	struct cte *slot;
	unsigned i;
	int err;

	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.x[REG_A0] = cptr;
	t->regs.x[REG_A1] = MSGINFO(label, 0, nargs);
	for (i = 0; i < nargs; i++) {
		if (i < MSG_REG_WORDS)
			t->regs.x[REG_A2 + i] = args[i];
		else
			buf->mr[i] = args[i];
	}
	err = invoke_lookup(t, cptr, OBJ_NULL, 0, &slot);    /* as sys_call() does */
	return err == ERR_OK ? invoke_call(t, slot) : err;
}

uint64_t world_result(unsigned i)
{
	const struct ipc_buffer *buf = pa_to_kva(WORLD_IPC_PA);

	cr_assert(i < MSGINFO_LENGTH(world.caller->regs.x[REG_A1]), "no result word %u", i);
	return i < MSG_REG_WORDS ? world.caller->regs.x[REG_A2 + i] : buf->mr[i];
}

int world_retype(cptr_t ut, uint64_t type, uint64_t size_bits, cptr_t cnode, uint64_t first,
		 uint64_t count)
{
	return world_call(ut, INV_UNTYPED_RETYPE, 5,
			  (uint64_t[]){ type, size_bits, cnode, first, count });
}

int world_copy(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot, uint64_t rights)
{
	return world_call(cnode, INV_CNODE_COPY, 4,
			  (uint64_t[]){ slot, src_cnode, src_slot, rights });
}

int world_mint(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot, uint64_t rights,
	       uint64_t badge)
{
	return world_call(cnode, INV_CNODE_MINT, 5,
			  (uint64_t[]){ slot, src_cnode, src_slot, rights, badge });
}

int world_move(cptr_t cnode, uint64_t slot, cptr_t src_cnode, uint64_t src_slot)
{
	return world_call(cnode, INV_CNODE_MOVE, 3, (uint64_t[]){ slot, src_cnode, src_slot });
}

int world_delete(cptr_t cnode, uint64_t slot)
{
	return world_call(cnode, INV_CNODE_DELETE, 1, (uint64_t[]){ slot });
}

int world_revoke(cptr_t cnode, uint64_t slot)
{
	return world_call(cnode, INV_CNODE_REVOKE, 1, (uint64_t[]){ slot });
}

int world_describe(cptr_t cnode, uint64_t slot, uint64_t out[5])
{
	int err = world_call(cnode, INV_CNODE_DESCRIBE, 1, (uint64_t[]){ slot });
	unsigned i;

	if (err == ERR_OK)
		for (i = 0; i < 5; i++)
			out[i] = world_result(i);
	return err;
}
