/*
 * test_caps.c - plays root: builds a thread from Untyped memory and runs it.
 *
 * From the biggest RAM Untyped it carves a 1 MiB Untyped, and from that a
 * CNode, a TCB, a VSpace with its page tables, the child's program pages,
 * stack, IPC buffer and a page it shares with the child; it starts the child
 * (test_child) there and reads back what the child wrote. Then it revokes
 * the 1 MiB Untyped, which destroys all of that at once, and retypes the
 * same memory again. Along the way: a child that faults is killed without
 * harming anyone, and a child whose VSpace is revoked stops running.
 */
#define CHECK_NAME "test_caps"
#include "bootimg.h"
#include "bootinfo.h"
#include "caps_shared.h"
#include "check.h"
#include "invoke.h"
#include "spawn.h"
#include "str.h"
#include "sys.h"

#define CHILD_STACK_TOP 0x80000000ul
#define CHILD_SHARED    0x40000000ul
#define CHILD_IPC       0x40001000ul
#define POOL_BITS       20

static const struct bootinfo *bi;
static cptr_t pool_untyped;
static unsigned root_priority = PRIORITY_MAX;   /* children run at root's */

struct child {
	cptr_t cnode, tcb, vspace, shared_frame, ipc_frame, stack_frame;
	struct caps_shared *shared;   /* where root sees the shared page */
};

/* Build and start a child running test_child in `mode`. Returns an error code. */
static int child_start(struct spawn_pool *pool, struct child *c, enum child_mode mode, uint64_t scratch)
{
	const void *elf;
	size_t elf_size;
	struct bootimg img;
	struct user_regs regs;
	uint64_t entry;
	int err;

	if ((err = bootimg_open(&img, (const void *)bi->bootimg, bi->bootimg_size)) ||
	    (err = bootimg_find(&img, "test_child", &elf, &elf_size)) ||
	    (err = spawn_object(pool, OBJ_CNODE, 4, &c->cnode)) ||
	    (err = spawn_object(pool, OBJ_TCB, 0, &c->tcb)) ||
	    (err = spawn_object(pool, OBJ_VSPACE, 0, &c->vspace)) ||
	    (err = spawn_load_elf(pool, c->vspace, BOOT_SLOT_VSPACE, scratch, elf, elf_size, &entry)) ||
	    (err = spawn_map_new(pool, c->vspace, CHILD_STACK_TOP - 4096, MAP_READ | MAP_WRITE, &c->stack_frame)) ||
	    (err = spawn_map_new(pool, c->vspace, CHILD_IPC, MAP_READ | MAP_WRITE, &c->ipc_frame)) ||
	    (err = spawn_map_new(pool, c->vspace, CHILD_SHARED, MAP_READ | MAP_WRITE, &c->shared_frame)))
		return err;
	/* Root sees the shared page too, through a copy of its capability. */
	cptr_t mine;
	if ((err = cnode_copy(BOOT_SLOT_CNODE, pool->next_slot, BOOT_SLOT_CNODE, c->shared_frame, RIGHTS_ALL)))
		return err;
	mine = pool->next_slot++;
	if ((err = spawn_map(pool, BOOT_SLOT_VSPACE, mine, scratch + 4096, MAP_READ | MAP_WRITE)))
		return err;
	c->shared = (struct caps_shared *)(scratch + 4096);
	c->shared->mode = mode;
	/* The child's CSpace: a read-only copy of the shared frame's capability. */
	if ((err = cnode_copy(c->cnode, CHILD_SLOT_FRAME, BOOT_SLOT_CNODE, c->shared_frame, RIGHT_READ)) ||
	    (err = tcb_configure(c->tcb, c->cnode, c->vspace, c->ipc_frame, CHILD_IPC, CPTR_NULL, root_priority)) ||
	    (err = tcb_set_name(c->tcb, "test_child")))
		return err;
	memset(&regs, 0, sizeof(regs));
	regs.pc = entry;
	regs.sp = CHILD_STACK_TOP;
	regs.a0 = CHILD_SHARED;
	regs.tp = CHILD_IPC;
	if ((err = tcb_write_registers(c->tcb, &regs)))
		return err;
	return tcb_resume(c->tcb);
}

/* A fresh pool: a 1 MiB Untyped from the biggest one, and the slots after it. */
static int pool_make(struct spawn_pool *pool)
{
	int err = spawn_pool_init(pool, bi, POOL_BITS, 0);

	pool_untyped = pool->untyped;
	return err;
}

static void wait_for(volatile uint64_t *flag)
{
	unsigned i;

	for (i = 0; i < 1000 && *flag == 0; i++)
		yield();
}

int main(const struct bootinfo *info)
{
	struct spawn_pool pool;
	struct child c;
	struct cap_info ci;
	struct user_regs regs;
	uint64_t paddr = 0, first_tcb, first_paddr;
	uint64_t scratch;
	int err;

	bi = info;
	check_eq("boot info magic", bi->magic == BOOTINFO_MAGIC, 1);
	printf("test_caps: %lu Untyped capabilities, slots %lu.. free\n", bi->untyped_count,
	       bi->first_free_slot);
	scratch = bi->free_vaddr;

	/* 1. Build, start and hear from a child. */
	check("retype a 1 MiB Untyped", pool_make(&pool), ERR_OK);
	err = child_start(&pool, &c, CHILD_REPORT, scratch);
	check("build the child from Untyped", err, ERR_OK);
	first_tcb = c.tcb;
	wait_for(&c.shared->done);
	check_eq("the child reported back", c.shared->done, 1);
	check_eq("the child's message", strcmp(c.shared->message, "hello from the child"), 0);
	check("child: frame_paddr through its own CSpace", (long)c.shared->frame_err, ERR_OK);
	check("root: frame_paddr of the same frame", frame_paddr(c.shared_frame, &paddr), ERR_OK);
	check_eq("child and root see the same physical page", c.shared->frame_paddr, paddr);
	check("child: a Frame capability where a VSpace is needed", (long)c.shared->map_err, ERR_INVALID_CAP);
	check("child: invoke an empty slot", (long)c.shared->empty_err, ERR_INVALID_CAP);
	check("read the exited child's registers", tcb_read_registers(c.tcb, &regs), ERR_OK);
	check_eq("its sp is on its stack page", regs.sp <= CHILD_STACK_TOP && regs.sp > CHILD_STACK_TOP - 4096, 1);
	check_eq("its a0 is its exit status", regs.a0, 0);
	check("describe the child's TCB", cnode_describe(BOOT_SLOT_CNODE, c.tcb, &ci), ERR_OK);
	check_eq("it is a TCB", ci.type, OBJ_TCB);
	first_paddr = ci.paddr;

	/* 2. Revoke the pool: every object in it goes at once. */
	check("revoke the 1 MiB Untyped", cnode_revoke(BOOT_SLOT_CNODE, pool_untyped), ERR_OK);
	check("describe the TCB's old slot", cnode_describe(BOOT_SLOT_CNODE, first_tcb, &ci), ERR_OK);
	check_eq("the slot is empty", ci.type, OBJ_NULL);
	check("describe the Untyped", cnode_describe(BOOT_SLOT_CNODE, pool_untyped, &ci), ERR_OK);
	check_eq("the Untyped is still there", ci.type, OBJ_UNTYPED);
	check_eq("and has nothing retyped", ci.data, 0);

	/* 3. The same memory again: a child that faults. */
	pool.next_slot = pool_untyped + 1;
	err = child_start(&pool, &c, CHILD_FAULT, scratch);
	check("rebuild a child in the same memory", err, ERR_OK);
	check("describe the new TCB", cnode_describe(BOOT_SLOT_CNODE, c.tcb, &ci), ERR_OK);
	check_eq("it sits where the old one did", ci.paddr, first_paddr);
	/* Step below the child: it runs at once, to its fault, and only then
	 * do we (a yield could be cut short by a tick). */
	root_priority--;
	check("let the faulting child outrank root",
	      tcb_set_priority(BOOT_SLOT_TCB, root_priority), ERR_OK);
	printf("test_caps: the faulting child is gone and root still runs\n");
	check("revoke again", cnode_revoke(BOOT_SLOT_CNODE, pool_untyped), ERR_OK);

	/* 4. A spinning child stops when its VSpace is taken away: it holds a
	 * copy of the cap it was configured with, which a revoke deletes. */
	pool.next_slot = pool_untyped + 1;
	check("start a spinning child", child_start(&pool, &c, CHILD_SPIN, scratch), ERR_OK);
	wait_for(&c.shared->spins);
	check_eq("it runs", c.shared->spins > 0, 1);
	check("revoke its VSpace (the copy it holds)", cnode_revoke(BOOT_SLOT_CNODE, c.vspace), ERR_OK);
	paddr = c.shared->spins;
	yield();
	yield();
	check_eq("it no longer runs", c.shared->spins, paddr);
	check("resume it without an address space", tcb_resume(c.tcb), ERR_INVALID_ARGUMENT);
	check("revoke the rest", cnode_revoke(BOOT_SLOT_CNODE, pool_untyped), ERR_OK);
	check("delete the pool Untyped itself", cnode_delete(BOOT_SLOT_CNODE, pool_untyped), ERR_OK);
	return check_done();
}
