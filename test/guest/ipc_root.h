/*
 * ipc_root.h - the root half of the IPC tests (test_ipc, test_ipcwait):
 * objects from a pool, ipc_child started in a role with its slots filled,
 * settle() to let children reach the wait they block in, and reading their
 * reports. Include it once, after check.h, in a program that plays root.
 *
 * Root runs at PRIORITY_MAX; children run at CHILD_PRIO, below it, so a
 * child runs only while root waits. settle() is such a wait, and it ends
 * only when every other thread is blocked: a child at LOWEST_PRIO (role
 * ROLE_LOWEST) wakes root, and it runs only when no one above it can.
 */
#ifndef MICA_IPC_ROOT_H
#define MICA_IPC_ROOT_H

#include "bootinfo.h"
#include "invoke.h"
#include "ipc.h"
#include "ipc_shared.h"
#include "spawn.h"

#define CHILD_PRIO   100
#define LOWEST_PRIO  1
#define POOL_BITS    23                /* 8 MiB: room for every child */

static const struct bootinfo *bi;
static struct spawn_pool pool;
static cptr_t settle_go, settle_done;  /* root -> the lowest child -> root */

/* A new object from the pool (CPTR_NULL, and a failed check, if none). */
static inline cptr_t new_object(unsigned type)
{
	cptr_t slot = CPTR_NULL;
	int err = spawn_object(&pool, type, 0, &slot);

	if (err != ERR_OK)
		check("make an object from the pool", err, ERR_OK);
	return slot;
}

/* A copy of cap in a free slot of root's CNode, with rights and badge. */
static inline cptr_t mint(cptr_t cap, unsigned rights, uint64_t badge)
{
	cptr_t slot = pool.next_slot++;
	int err = cnode_mint(BOOT_SLOT_CNODE, slot, BOOT_SLOT_CNODE, cap, rights, badge);

	if (err != ERR_OK)
		check("mint a capability", err, ERR_OK);
	return slot;
}

/* Build ipc_child in `role` as child `id` at `prio`, not yet running: its
 * EP slot gets ep (if any) with rights and badge, REPORT a send-only copy
 * of report (if any), SELF its own CNode. Returns an error code. */
static inline int child_make(struct spawned *c, unsigned role, unsigned id, unsigned prio,
			     cptr_t ep, unsigned rights, uint64_t badge, cptr_t report)
{
	int err = spawn_program(&pool, c, (const void *)bi->bootimg, bi->bootimg_size, "ipc_child",
				IPC_CHILD_RADIX, CPTR_NULL, prio, IPC_CHILD_ARG(role, id));

	if (err == ERR_OK && ep != CPTR_NULL)
		err = cnode_mint(c->cnode, IPC_SLOT_EP, BOOT_SLOT_CNODE, ep, rights, badge);
	if (err == ERR_OK && report != CPTR_NULL)
		err = cnode_copy(c->cnode, IPC_SLOT_REPORT, BOOT_SLOT_CNODE, report, RIGHT_WRITE);
	if (err == ERR_OK)
		err = cnode_copy(c->cnode, IPC_SLOT_SELF, BOOT_SLOT_CNODE, c->cnode, RIGHTS_ALL);
	return err;
}

/* child_make, then let it run. */
static inline int child_start(struct spawned *c, unsigned role, unsigned id, unsigned prio,
			      cptr_t ep, unsigned rights, uint64_t badge, cptr_t report)
{
	int err = child_make(c, role, id, prio, ep, rights, badge, report);

	return err == ERR_OK ? tcb_resume(c->tcb) : err;
}

/* The pool (a 2^POOL_BITS Untyped and the free slots after it) and the
 * lowest child that settle() waits for. Returns an error code. */
static inline int root_setup(const struct bootinfo *info)
{
	struct spawned lowest;
	int err;

	bi = info;
	err = spawn_pool_init(&pool, bi, POOL_BITS, 0);
	if (err == ERR_OK)
		err = spawn_object(&pool, OBJ_NOTIFICATION, 0, &settle_go);
	if (err == ERR_OK)
		err = spawn_object(&pool, OBJ_NOTIFICATION, 0, &settle_done);
	if (err == ERR_OK)
		err = child_make(&lowest, ROLE_LOWEST, 0, LOWEST_PRIO, CPTR_NULL, 0, 0, settle_done);
	if (err == ERR_OK)
		err = cnode_copy(lowest.cnode, IPC_SLOT_OTHER, BOOT_SLOT_CNODE, settle_go, RIGHT_READ);
	return err == ERR_OK ? tcb_resume(lowest.tcb) : err;
}

/* Wait until every other thread is blocked: each child that can run gets
 * to where it waits. Not a receive, so a call root owes stays pending. */
static inline void settle(void)
{
	uint64_t bits;
	int err = notify_signal(settle_go);

	if (err == ERR_OK)
		err = notify_wait(settle_done, &bits);
	if (err != ERR_OK)
		check("settle: wait for the lowest child", err, ERR_OK);
}

/* A child's report (ipc_shared.h): its id, then REPORT_* words. */
struct report {
	uint64_t id;
	uint64_t w[REPORT_WORDS];
};

/* Wait for the next report on ep; a failed receive reads as id 0. */
static inline struct report report_get(cptr_t ep)
{
	struct ipc_msg m;
	struct report r = { 0 };
	unsigned i;

	if (ipc_recv(ep, &m) != ERR_OK || MSGINFO_LENGTH(m.info) != REPORT_WORDS)
		return r;
	r.id = MSGINFO_LABEL(m.info);
	for (i = 0; i < REPORT_WORDS; i++)
		r.w[i] = m.mr[i];
	return r;
}

/* Two reports, whichever comes first, by child id (a and b): children at
 * one priority take turns under the timer, so two that are both ready may
 * report in either order. A report that never comes leaves its id 0. */
static inline void reports_by_id(cptr_t report, uint64_t a, struct report *ra, uint64_t b,
				 struct report *rb)
{
	unsigned i;

	ra->id = rb->id = 0;
	for (i = 0; i < 2; i++) {
		struct report r = report_get(report);

		if (r.id == a)
			*ra = r;
		else if (r.id == b)
			*rb = r;
	}
}

#endif /* MICA_IPC_ROOT_H */
