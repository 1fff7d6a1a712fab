/*
 * cap_test.c - the capability derivation tree, one rule at a time: a new
 * child goes first among its siblings; delete puts a capability's children
 * in its place, in order; move keeps the place; revoke removes exactly the
 * descendants; cap_is_final() tells the last capability to an object; and
 * the last delete destroys the object (a CNode is emptied, even a chain of
 * thousands on a small stack; a TCB leaves the thread list and run queue;
 * a VSpace frees its ASID; an IRQ line can be claimed again; threads forget
 * a CSpace, VSpace or IPC buffer that is gone), while deleting one
 * capability undoes only that capability's mapping. Most tests also run
 * model_check() (cap_model.c) on the whole tree.
 */
#define _GNU_SOURCE     /* mmap's MAP_ANONYMOUS, ucontext */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cap_model.h"
#include "cap_world.h"
#include "errors.h"
#include "vspace.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */

#define RADIX 8
#define SPARE(n) (WORLD_SPARE_PA + (n) * PAGE_SIZE)   /* objects made by hand */

static struct cte *slot(uint64_t i)
{
	return world_slot(i);
}

static void setup(void)
{
	world_init(RADIX, WORLD_UT_PA, WORLD_UT_BITS, false);
}

TestSuite(cap, .init = setup);

/* --- by hand: cap_insert, cap_move, cap_delete, cap_revoke ------------------ */

/* A new object's first capability in slot i: a root, or (parent != 0) a
 * child of the capability in slot parent, as retype or IRQControl make them. */
static void make(uint64_t i, unsigned type, paddr_t pa, unsigned size_bits, uint64_t parent)
{
	struct cap cap = { .type = (uint8_t)type, .rights = RIGHTS_ALL, .paddr = pa,
			   .size_bits = (uint8_t)size_bits };
	int from = parent ? model_slot(world_key(parent))->obj : MODEL_NONE;
	int obj;

	if (from != MODEL_NONE && model_obj(from)->type != OBJ_UNTYPED)
		from = MODEL_NONE;      /* an IRQ handler is carved from nothing */
	obj = model_new_object(type, pa, size_bits, false, from);

	cap_insert(slot(i), &cap, parent ? slot(parent) : NULL);
	model_insert(world_key(i), obj, RIGHTS_ALL, 0, parent ? world_key(parent) : MODEL_NONE);
}

/* A copy of slot src in slot i (its child). */
static void copy(uint64_t i, uint64_t src)
{
	cap_insert(slot(i), &slot(src)->cap, slot(src));
	model_derive(world_key(i), world_key(src), RIGHTS_ALL, 0);
}

static void move(uint64_t dest, uint64_t src)
{
	cap_move(slot(dest), slot(src));
	model_move(world_key(dest), world_key(src));
}

static void del(uint64_t i)
{
	cr_assert(cap_delete(slot(i)) && cap_drain());
	model_delete(world_key(i));
}

static void revoke(uint64_t i)
{
	cr_assert(cap_revoke(slot(i)) && cap_drain());
	model_revoke(world_key(i));
}

/* Slot i's children are exactly the slots in want, in that order. */
static void assert_children(uint64_t i, const uint64_t *want, unsigned n)
{
	const struct cte *c = slot(i)->first_child, *prev = NULL;
	unsigned k;

	for (k = 0; k < n; k++, prev = c, c = c->next) {
		cr_assert_eq(c, slot(want[k]), "slot %lu: child %u is slot %ld, want %lu", i, k,
			     c ? (long)(c - slot(0)) : -1L, want[k]);
		cr_assert_eq(c->parent, slot(i), "slot %lu's parent", want[k]);
		cr_assert_eq(c->prev, prev, "slot %lu's prev", want[k]);
	}
	cr_assert_null(c, "slot %lu has more than %u children", i, n);
}

#define CHILDREN(i, ...)                                                  \
	assert_children(i, (uint64_t[]){ __VA_ARGS__ },                   \
			sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

Test(cap, a_new_child_goes_first)
{
	make(10, OBJ_UNTYPED, SPARE(0), 16, 0);
	make(11, OBJ_ENDPOINT, SPARE(0), 0, 10);
	make(12, OBJ_ENDPOINT, SPARE(0) + 32, 0, 10);
	make(13, OBJ_ENDPOINT, SPARE(0) + 64, 0, 10);
	CHILDREN(10, 13, 12, 11);
	cr_assert_null(slot(10)->parent);
	model_check("three children");
}

Test(cap, delete_puts_the_children_in_its_place_in_order)
{
	make(10, OBJ_UNTYPED, SPARE(0), 16, 0);
	make(11, OBJ_ENDPOINT, SPARE(0), 0, 10);
	make(12, OBJ_NOTIFICATION, SPARE(0) + 64, 0, 10);
	make(13, OBJ_ENDPOINT, SPARE(0) + 128, 0, 10);
	copy(20, 12);
	copy(21, 12);
	copy(22, 21);
	CHILDREN(10, 13, 12, 11);
	CHILDREN(12, 21, 20);
	del(12);
	CHILDREN(10, 13, 21, 20, 11);
	CHILDREN(21, 22);
	cr_assert(!cap_is_final(slot(20)) && !cap_is_final(slot(21)));
	model_check("after deleting the middle child");
	del(21);
	CHILDREN(10, 13, 22, 20, 11);
	del(13);
	del(11);
	CHILDREN(10, 22, 20);
	model_check("after deleting the rest");
}

Test(cap, deleting_a_root_leaves_its_children_as_linked_roots)
{
	make(10, OBJ_ENDPOINT, SPARE(0), 0, 0);
	copy(11, 10);
	copy(12, 10);
	del(10);
	cr_assert(slot(11)->parent == NULL && slot(12)->parent == NULL);
	cr_assert(slot(12)->next == slot(11) && slot(11)->prev == slot(12));
	cr_assert(!cap_is_final(slot(11)) && !cap_is_final(slot(12)));
	model_check("roots");
	del(12);
	cr_assert(cap_is_final(slot(11)));
	cr_assert(slot(11)->prev == NULL && slot(11)->next == NULL);
	model_check("one root");
}

Test(cap, move_keeps_the_place_in_the_tree)
{
	static struct cte before;

	make(10, OBJ_UNTYPED, SPARE(0), 16, 0);
	make(11, OBJ_ENDPOINT, SPARE(0), 0, 10);
	make(12, OBJ_ENDPOINT, SPARE(0) + 32, 0, 10);
	make(13, OBJ_ENDPOINT, SPARE(0) + 64, 0, 10);
	copy(20, 12);
	copy(21, 12);
	move(30, 12);
	CHILDREN(10, 13, 30, 11);
	CHILDREN(30, 21, 20);
	cr_assert_eq(slot(30)->cap.paddr, SPARE(0) + 32);
	cr_assert_eq(slot(12)->cap.type, OBJ_NULL);
	model_check("moved a middle child");       /* slot 12 is all zero bytes */
	move(31, 13);                               /* the first child */
	CHILDREN(10, 31, 30, 11);
	move(32, 10);                               /* a root with children */
	CHILDREN(32, 31, 30, 11);
	before = *slot(32);
	cap_move(slot(32), slot(32));               /* onto itself: nothing happens */
	cr_assert_arr_eq(slot(32), &before, sizeof(before));
	model_check("moved the first child and the parent");
}

Test(cap, revoke_removes_exactly_the_descendants)
{
	uint64_t i;

	make(10, OBJ_ENDPOINT, SPARE(0), 0, 0);
	make(11, OBJ_ENDPOINT, SPARE(0) + 32, 0, 0);
	copy(12, 11);
	copy(20, 10);
	for (i = 21; i < 120; i++)                 /* a chain: each a copy of the one before */
		copy(i, i - 1);
	copy(150, 10);
	copy(151, 30);
	model_check("built");
	revoke(30);
	cr_assert_null(slot(30)->first_child);
	for (i = 31; i < 120; i++)
		cr_assert_eq(slot(i)->cap.type, OBJ_NULL, "slot %lu survived", i);
	cr_assert_eq(slot(151)->cap.type, OBJ_NULL);
	cr_assert_eq(slot(29)->first_child, slot(30));
	model_check("revoked the middle of the chain");
	revoke(10);
	cr_assert_null(slot(10)->first_child);
	cr_assert(cap_is_final(slot(10)));
	CHILDREN(11, 12);                          /* another object's tree is untouched */
	model_check("revoked the root");
}

Test(cap, is_final_knows_which_caps_share_an_object)
{
	struct cap ep = { .type = OBJ_ENDPOINT, .paddr = SPARE(0) };
	struct cap badged = { .type = OBJ_ENDPOINT, .paddr = SPARE(0), .data = 7,
			      .rights = RIGHT_READ };
	struct cap ntfn = { .type = OBJ_NOTIFICATION, .paddr = SPARE(0) };
	struct cap big = { .type = OBJ_UNTYPED, .paddr = SPARE(0), .size_bits = 16 };
	struct cap part = { .type = OBJ_UNTYPED, .paddr = SPARE(0), .size_bits = 12 };

	cr_assert(cap_same_object(&ep, &badged), "badge and rights do not make another object");
	cr_assert(!cap_same_object(&ep, &ntfn));
	cr_assert(!cap_same_object(&big, &part), "an Untyped and its first part start alike");

	make(10, OBJ_UNTYPED, SPARE(0), 16, 0);
	make(11, OBJ_UNTYPED, SPARE(0), 12, 10);
	make(12, OBJ_UNTYPED, SPARE(0) + PAGE_SIZE, 12, 10);
	make(13, OBJ_ENDPOINT, SPARE(0), 0, 11);
	make(14, OBJ_IRQ_HANDLER, 3, 0, SLOT_IRQ);
	make(15, OBJ_IRQ_HANDLER, 4, 0, SLOT_IRQ);
	cr_assert(cap_is_final(slot(10)) && cap_is_final(slot(11)) && cap_is_final(slot(12)));
	cr_assert(cap_is_final(slot(13)) && cap_is_final(slot(14)) && cap_is_final(slot(15)));
	copy(16, 13);
	cr_assert(!cap_is_final(slot(13)) && !cap_is_final(slot(16)));
	model_check("is_final");
	del(11);        /* the endpoint moves up, next to the other part */
	CHILDREN(10, 12, 13);
	cr_assert(!cap_is_final(slot(13)) && cap_is_final(slot(12)));
	model_check("is_final after a delete");
}

Test(cap, deleting_an_empty_slot_changes_nothing)
{
	static uint8_t before[1u << (RADIX + CNODE_SLOT_BITS)];

	make(10, OBJ_ENDPOINT, SPARE(0), 0, 0);
	copy(11, 10);
	memcpy(before, slot(0), sizeof(before));
	cap_delete(slot(12));
	cr_assert_arr_eq(slot(0), before, sizeof(before));
	cr_assert_eq(world_delete(SLOT_CNODE, 12), ERR_OK);
	cr_assert_arr_eq(slot(0), before, sizeof(before));
	cr_assert_eq(world_revoke(SLOT_CNODE, 12), ERR_INVALID_CAP);
	cr_assert_arr_eq(slot(0), before, sizeof(before));
}

/* --- through invocations: the last delete destroys --------------------------- */

/* Retype into the CSpace; mirrors into the model at the kernel's addresses
 * (where retype puts objects is untyped_test.c's business). */
static void retype(uint64_t type, uint64_t size_bits, uint64_t first, uint64_t count)
{
	uint64_t i;

	cr_assert_eq(world_retype(SLOT_UT, type, size_bits, SLOT_CNODE, first, count), ERR_OK);
	for (i = first; i < first + count; i++) {
		int obj = model_new_object((unsigned)type, slot(i)->cap.paddr, (unsigned)size_bits,
					   false, world.ut_obj);

		model_insert(world_key(i), obj, RIGHTS_ALL, 0, world_key(SLOT_UT));
	}
	model_obj(world.ut_obj)->watermark = slot(SLOT_UT)->cap.data;
	model_check("retype");
}

static void copy_call(uint64_t cnode, uint64_t i, uint64_t src)
{
	const struct model_slot *s = model_slot(world_key(cnode));

	cr_assert_eq(world_copy(cnode, i, SLOT_CNODE, src, RIGHTS_ALL), ERR_OK);
	model_derive(model_cnode_key(s->obj, i), world_key(src), RIGHTS_ALL, 0);
	model_check("copy");
}

static void delete_call(uint64_t i)
{
	cr_assert_eq(world_delete(SLOT_CNODE, i), ERR_OK);
	model_delete(world_key(i));
	model_check("delete");
}

static struct thread *thread_in(uint64_t i)
{
	return pa_to_kva(slot(i)->cap.paddr);
}

/* Configure the TCB in slot tcb (in the kernel and the model). */
static int configure(uint64_t tcb, uint64_t cspace, uint64_t vspace, uint64_t ipc)
{
	int err = world_call(tcb, INV_TCB_CONFIGURE, 6,
			     (uint64_t[]){ cspace, vspace, ipc, 0x10000, 0, 1 });
	const uint64_t src[] = { cspace, vspace, ipc };
	int keys[THREAD_HELD_COUNT];
	unsigned i;

	for (i = 0; i < THREAD_HELD_COUNT; i++)
		keys[i] = src[i] ? world_key(src[i]) : MODEL_NONE;
	if (err == ERR_OK)
		model_hold(thread_in(tcb), keys);
	return err;
}

Test(cap, the_last_cnode_cap_empties_the_cnode_and_the_cnodes_in_it)
{
	struct cte *x, *y;
	int x_obj;

	retype(OBJ_ENDPOINT, 0, 10, 1);
	retype(OBJ_CNODE, 3, 20, 1);            /* X */
	x = pa_to_kva(slot(20)->cap.paddr);
	x_obj = model_slot(world_key(20))->obj;
	copy_call(20, 1, 10);                    /* the endpoint, into X */
	cr_assert_eq(world_retype(SLOT_UT, OBJ_CNODE, 2, 20, 3, 1), ERR_OK);   /* Y, in X */
	y = pa_to_kva(x[3].cap.paddr);
	model_insert(model_cnode_key(x_obj, 3),
		     model_new_object(OBJ_CNODE, x[3].cap.paddr, 2, false, world.ut_obj),
		     RIGHTS_ALL, 0, world_key(SLOT_UT));
	model_obj(world.ut_obj)->watermark = slot(SLOT_UT)->cap.data;
	cr_assert_eq(world_copy(SLOT_CNODE, 21, 20, 3, RIGHTS_ALL), ERR_OK);    /* Y, from X */
	model_derive(world_key(21), model_cnode_key(x_obj, 3), RIGHTS_ALL, 0);
	copy_call(21, 1, 10);                    /* the endpoint, into Y */
	copy_call(21, 2, 20);                    /* X, into Y */
	cr_assert(x[1].cap.type == OBJ_ENDPOINT && y[1].cap.type == OBJ_ENDPOINT);

	delete_call(21);                         /* Y lives on in X */
	delete_call(20);                         /* X lives on in Y */
	cr_assert(x[1].cap.type == OBJ_ENDPOINT && y[2].cap.type == OBJ_CNODE);
	cr_assert_eq(world_revoke(SLOT_CNODE, 10), ERR_OK);       /* the endpoint's copies go */
	model_revoke(world_key(10));
	model_check("revoked the endpoint");
	cr_assert(x[1].cap.type == OBJ_NULL && y[1].cap.type == OBJ_NULL);
	/* Deleting Y's cap in X from outside is impossible now (no cap to X
	 * in the CSpace): only revoking the Untyped reaches the cycle. */
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	model_revoke(world_key(SLOT_UT));
	model_check("revoked the Untyped");      /* X and Y are all zero bytes */
	cr_assert(x[3].cap.type == OBJ_NULL && y[2].cap.type == OBJ_NULL);
	cr_assert_eq(model_live_count(OBJ_CNODE), 1, "only the CSpace is left");
}

static ucontext_t main_ctx, small_ctx;
static struct cte *chain_head;

static void delete_chain_head(void)
{
	cap_delete(chain_head);
	cap_drain();
}

Test(cap, a_cnode_chain_thousands_deep_is_emptied_on_a_small_stack)
{
	/* cap.c never recurses: emptying one CNode may queue the next, and the
	 * drain empties the queue. A recursive version needs far
	 * more than 16 KiB for 8000 levels and hits the guard page. */
	enum { DEPTH = 8000, STACK = 16 << 10 };
	const size_t cnode_bytes = 2u << CNODE_SLOT_BITS;       /* radix 1: slot 0 and slot 1 */
	uint8_t *stack;
	unsigned k;

	for (k = 0; k < DEPTH; k++) {
		paddr_t pa = SPARE(0) + k * cnode_bytes;
		struct cte *holder = k ? (struct cte *)pa_to_kva(pa - cnode_bytes) + 1 : slot(10);
		int obj = model_new_object(OBJ_CNODE, pa, 1, false, MODEL_NONE);

		cr_assert_lt(pa + cnode_bytes, FAKE_RAM_BASE + FAKE_RAM_SIZE);
		((struct cte *)pa_to_kva(pa))->cap.size_bits = 1;
		cap_insert(holder, &(struct cap){ .type = OBJ_CNODE, .rights = RIGHTS_ALL,
						  .size_bits = 1, .paddr = pa }, NULL);
		model_insert(model_key(holder), obj, RIGHTS_ALL, 0, MODEL_NONE);
	}
	model_check("chain built");

	stack = mmap(NULL, STACK + PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	cr_assert_neq(stack, MAP_FAILED);
	cr_assert_eq(mprotect(stack, PAGE_SIZE, PROT_NONE), 0);     /* the guard, below */
	cr_assert_eq(getcontext(&small_ctx), 0);
	small_ctx.uc_stack.ss_sp = stack + PAGE_SIZE;
	small_ctx.uc_stack.ss_size = STACK;
	small_ctx.uc_link = &main_ctx;
	chain_head = slot(10);
	makecontext(&small_ctx, delete_chain_head, 0);
	cr_assert_eq(swapcontext(&main_ctx, &small_ctx), 0);
	munmap(stack, STACK + PAGE_SIZE);

	model_delete(world_key(10));
	cr_assert_eq(model_objects_destroyed(), DEPTH);
	model_check("chain deleted");      /* every CNode of the chain is all zero bytes */
}

Test(cap, a_revoke_may_destroy_the_cnode_holding_the_revoked_cap)
{
	retype(OBJ_CNODE, 2, 20, 1);
	/* The Untyped, into the CNode it made. */
	cr_assert_eq(world_move(20, 1, SLOT_CNODE, SLOT_UT), ERR_OK);
	model_move(model_cnode_key(model_slot(world_key(20))->obj, 1), world_key(SLOT_UT));
	model_check("moved");
	cr_assert_eq(world_revoke(20, 1), ERR_OK);
	model_revoke(model_cnode_key(model_slot(world_key(20))->obj, 1));
	cr_assert_eq(slot(20)->cap.type, OBJ_NULL);
	model_check("revoked");
}

/* The caller holds a copy of its CSpace cap (thread_hold), so deleting
 * the ones in the CSpace leaves the CNode alive; a revoke takes the copy. */
Test(cap, a_thread_keeps_its_cspace_while_it_holds_it)
{
	retype(OBJ_ENDPOINT, 0, 10, 2);
	copy_call(SLOT_CNODE, 20, SLOT_CNODE);
	delete_call(SLOT_CNODE);
	cr_assert_eq(world.caller->cspace, WORLD_ROOT_PA, "the caller still has its CSpace");
	cr_assert_eq(world_describe(20, 10, (uint64_t[5]){ 0 }), ERR_OK);
}

Test(cap, revoking_its_cspace_cap_takes_the_cspace_from_the_thread)
{
	retype(OBJ_ENDPOINT, 0, 10, 2);
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_CNODE), ERR_OK);
	model_revoke(world_key(SLOT_CNODE));
	cr_assert_eq(world.caller->cspace, 0, "the caller lost its CSpace");
	cr_assert_eq(world.caller->held[THREAD_HELD_CSPACE].cap.type, OBJ_NULL);
	model_check("revoked the CSpace");
	cr_assert_eq(world_describe(SLOT_CNODE, 10, (uint64_t[5]){ 0 }), ERR_INVALID_CAP);
}

Test(cap, the_last_tcb_cap_takes_the_thread_off_the_lists)
{
	struct thread *a, *b, *c;

	retype(OBJ_VSPACE, 0, 10, 1);
	retype(OBJ_TCB, 0, 20, 3);
	a = thread_in(20), b = thread_in(21), c = thread_in(22);
	cr_assert_eq(configure(20, 0, 10, 0), ERR_OK);
	cr_assert_eq(configure(21, 0, 10, 0), ERR_OK);
	cr_assert_eq(configure(22, 0, 10, 0), ERR_OK);
	cr_assert_eq(world_call(20, INV_TCB_RESUME, 0, NULL), ERR_OK);
	cr_assert_eq(world_call(21, INV_TCB_RESUME, 0, NULL), ERR_OK);
	cr_assert_eq(world_call(22, INV_TCB_RESUME, 0, NULL), ERR_OK);
	cr_assert(a->queue_next == b && b->queue_next == c && c->queue_prev == b);

	copy_call(SLOT_CNODE, 30, 21);
	delete_call(21);                    /* not the last: b still runs */
	cr_assert(a->queue_next == b && b->state == THREAD_RUNNABLE);
	delete_call(30);                    /* the last */
	cr_assert(a->queue_next == c && c->queue_prev == a, "b left the run queue");
	cr_assert_eq(b->state, THREAD_INACTIVE);
	delete_call(22);                    /* c, at the tail */
	cr_assert_null(a->queue_next);
}

/* A thread holds a copy of its VSpace cap: deleting every other cap leaves
 * the VSpace alive; revoking the cap it was configured with stops it, and
 * destroying the TCB then frees the ASID. */
Test(cap, a_thread_holds_its_vspace_until_a_revoke_takes_it)
{
	unsigned free = vspace_asids_free();
	struct thread *t;

	retype(OBJ_VSPACE, 0, 10, 1);
	retype(OBJ_TCB, 0, 20, 1);
	t = thread_in(20);
	cr_assert_eq(vspace_asids_free(), free - 1);
	cr_assert_eq(configure(20, 0, 10, 0), ERR_OK);
	cr_assert_eq(world_call(20, INV_TCB_RESUME, 0, NULL), ERR_OK);
	copy_call(SLOT_CNODE, 11, 10);
	cr_assert_eq(world_revoke(SLOT_CNODE, 11), ERR_OK);     /* not the thread's */
	model_revoke(world_key(11));
	cr_assert(t->state == THREAD_RUNNABLE && vspace_asids_free() == free - 1);
	cr_assert_eq(world_revoke(SLOT_CNODE, 10), ERR_OK);     /* the thread's copy too */
	model_revoke(world_key(10));
	model_check("revoked the VSpace");
	cr_assert_eq(t->vspace.root, 0);
	cr_assert_eq(t->state, THREAD_INACTIVE);
	cr_assert(world.caller->queue_next == NULL, "t left the run queue");
	cr_assert_eq(configure(20, 0, 10, 0), ERR_OK);
	delete_call(10);
	cr_assert_eq(vspace_asids_free(), free - 1, "the thread holds it");
	delete_call(20);
	cr_assert_eq(vspace_asids_free(), free, "a destroyed thread lets go");
}

Test(cap, threads_lose_a_revoked_cspace_and_ipc_buffer)
{
	struct thread *t;

	retype(OBJ_CNODE, 2, 10, 1);
	retype(OBJ_FRAME, 0, 11, 1);
	retype(OBJ_TCB, 0, 20, 1);
	t = thread_in(20);
	cr_assert_eq(configure(20, 10, 0, 11), ERR_OK);
	delete_call(11);
	cr_assert_eq(t->ipc_buffer, t->held[THREAD_HELD_IPC_BUFFER].cap.paddr, "its copy lives");
	cr_assert_eq(t->held[THREAD_HELD_IPC_BUFFER].cap.type, OBJ_FRAME);
	cr_assert_eq(world_revoke(SLOT_CNODE, 10), ERR_OK);
	model_revoke(world_key(10));
	model_check("revoked the CSpace");
	cr_assert_eq(t->cspace, 0);
	cr_assert_neq(t->ipc_buffer, 0);
	delete_call(10);
	delete_call(20);
	model_check("destroyed the thread");
	cr_assert_eq(model_live_count(OBJ_FRAME), 0, "the frame died with its last holder");
	cr_assert_eq(model_live_count(OBJ_CNODE), 1, "only the CSpace is left");
}

static int map(uint64_t frame, uint64_t vspace, uaddr_t va)
{
	return world_call(frame, INV_FRAME_MAP, 3, (uint64_t[]){ vspace, va, MAP_READ });
}

Test(cap, a_mapping_belongs_to_the_cap_that_made_it)
{
	struct vspace vs;

	retype(OBJ_VSPACE, 0, 10, 1);
	retype(OBJ_FRAME, 0, 11, 1);
	vs = (struct vspace){ .root = slot(10)->cap.paddr, .asid = slot(10)->cap.asid };
	copy_call(SLOT_CNODE, 12, 11);
	copy_call(SLOT_CNODE, 13, 11);
	cr_assert_eq(map(12, 10, 0x10000), ERR_OK);
	cr_assert_eq(map(13, 10, 0x20000), ERR_OK);
	copy_call(SLOT_CNODE, 14, 12);           /* a copy of a mapped cap is not mapped */
	cr_assert_eq(slot(14)->cap.asid, 0);
	cr_assert_eq(fake_vspace_count(&vs), 2);
	delete_call(14);
	delete_call(11);                         /* the original never mapped anything */
	cr_assert_eq(fake_vspace_count(&vs), 2);
	delete_call(12);
	cr_assert_eq(fake_vspace_perm(&vs, 0x10000), 0);
	cr_assert_eq(fake_vspace_perm(&vs, 0x20000), VM_READ);
	delete_call(13);
	cr_assert_eq(fake_vspace_count(&vs), 0);
}

/* KNOWN KERNEL BUG (fails today): a Frame capability still records the
 * ASID of a VSpace that is gone. Once that ASID is handed to a new VSpace
 * (round-robin: 1022 VSpaces later), deleting the stale capability unmaps
 * whatever the new VSpace maps at the same address, if it is the same
 * frame: another capability's mapping, which that capability still
 * believes it has. */
Test(cap, a_stale_mapping_does_not_unmap_the_asids_next_owner)
{
	unsigned asid, n;
	struct vspace vs;

	retype(OBJ_UNTYPED, 13, 30, 2);      /* two pools, so the VSpaces differ in address */
	retype(OBJ_FRAME, 0, 10, 1);
	copy_call(SLOT_CNODE, 11, 10);
	cr_assert_eq(world_retype(30, OBJ_VSPACE, 0, SLOT_CNODE, 20, 1), ERR_OK);
	asid = slot(20)->cap.asid;
	cr_assert_eq(map(10, 20, 0x10000), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 20), ERR_OK);     /* slot 10 is now stale */
	for (n = 1; n < ASID_COUNT; n++) {
		cr_assert_eq(world_retype(31, OBJ_VSPACE, 0, SLOT_CNODE, 20, 1), ERR_OK);
		if (slot(20)->cap.asid == asid)
			break;
		cr_assert_eq(world_delete(SLOT_CNODE, 20), ERR_OK);
	}
	cr_assert_eq(slot(20)->cap.asid, asid, "the ASID came back after %u VSpaces", n);
	vs = (struct vspace){ .root = slot(20)->cap.paddr, .asid = (uint16_t)asid };
	cr_assert_eq(map(11, 20, 0x10000), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 10), ERR_OK);
	cr_assert_eq(fake_vspace_perm(&vs, 0x10000), VM_READ,
		     "deleting slot 10 (mapped in a VSpace that is gone) unmapped slot 11's page "
		     "in the VSpace that now has the same ASID");
	cr_assert_eq(slot(11)->cap.asid, asid, "slot 11 still thinks it is mapped");
}

static int irq_get(uint64_t line, uint64_t i)
{
	return world_call(SLOT_IRQ, INV_IRQ_CONTROL_GET, 3, (uint64_t[]){ line, SLOT_CNODE, i });
}

Test(cap, an_irq_line_is_free_again_when_its_last_handler_goes)
{
	cr_assert_eq(irq_get(5, 10), ERR_OK);
	cr_assert_eq(irq_get(6, 11), ERR_OK);
	cr_assert_eq(world_copy(SLOT_CNODE, 12, SLOT_CNODE, 10, RIGHTS_ALL), ERR_OK);
	cr_assert_eq(world_copy(SLOT_CNODE, 13, SLOT_CNODE, SLOT_IRQ, RIGHTS_ALL),
		     ERR_INVALID_OPERATION, "IRQControl stays unique");
	cr_assert_eq(irq_get(5, 13), ERR_IN_USE);
	cr_assert_eq(world_delete(SLOT_CNODE, 10), ERR_OK);
	cr_assert_eq(irq_get(5, 13), ERR_IN_USE, "a copy of the handler lives");
	cr_assert_eq(world_delete(SLOT_CNODE, 12), ERR_OK);
	cr_assert_eq(irq_get(5, 13), ERR_OK);
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_IRQ), ERR_OK);
	cr_assert(slot(11)->cap.type == OBJ_NULL && slot(13)->cap.type == OBJ_NULL);
	cr_assert_eq(irq_get(6, 11), ERR_OK);
}

/* --- preemption points: long operations stop for interrupts, and go on ------ */

#define LONG_N 4000       /* caps in the big CNode X (radix 12) */

/* X in slot 10, an endpoint in slot 11, and LONG_N copies of it in X:
 * a chain (each a child of the one before) or all children of slot 11. */
static struct cte *fill_big_cnode(bool chain)
{
	struct cte *x;
	unsigned i;

	retype(OBJ_CNODE, 12, 10, 1);
	retype(OBJ_ENDPOINT, 0, 11, 1);
	x = pa_to_kva(slot(10)->cap.paddr);
	for (i = 1; i <= LONG_N; i++)
		cap_insert(&x[i], &slot(11)->cap, chain && i > 1 ? &x[i - 1] : slot(11));
	fake_pending_every = 97;      /* an interrupt every 97 preemption points */
	return x;
}

/* Run a CNode invocation again as long as it stops at a preemption point,
 * as the thread would; returns its result. */
static int until_done(int (*op)(cptr_t, uint64_t), uint64_t i, unsigned *restarts)
{
	int err;

	while ((err = op(SLOT_CNODE, i)) == INVOKE_RESTART)
		(*restarts)++;
	return err;
}

static void assert_stopped_often_and_linear(unsigned restarts)
{
	cr_assert_geq(restarts, LONG_N / 97 - 1, "only %u restarts", restarts);
	cr_assert_leq(fake_pending_calls, 3 * LONG_N, "%u steps for %u caps: not linear",
		      fake_pending_calls, LONG_N);
}

Test(cap, revoking_a_long_chain_stops_for_interrupts_and_finishes)
{
	struct cte *x = fill_big_cnode(true);
	unsigned restarts = 0, i;

	cr_assert_eq(until_done(world_revoke, 11, &restarts), ERR_OK);
	assert_stopped_often_and_linear(restarts);
	for (i = 1; i <= LONG_N; i++)
		cr_assert_eq(x[i].cap.type, OBJ_NULL, "copy %u is left", i);
	model_check("revoked the chain");
}

Test(cap, deleting_a_cap_with_thousands_of_children_stops_and_keeps_them_in_order)
{
	struct cte *x = fill_big_cnode(false), *c;
	unsigned restarts = 0, i = LONG_N;

	cr_assert_eq(until_done(world_delete, 11, &restarts), ERR_OK);
	assert_stopped_often_and_linear(restarts);
	/* The copies are the Untyped's children now, newest first as before. */
	for (c = slot(SLOT_UT)->first_child; c && c != &x[1]; c = c->next)
		if (c->cap.type == OBJ_ENDPOINT)
			cr_assert_eq(c, &x[i--], "the children moved up out of order");
	cr_assert_eq(c, &x[1]);
	cr_assert_eq(i, 1);
	cr_assert(!cap_is_final(&x[1]) && !cap_is_final(&x[LONG_N]));
}

Test(cap, emptying_a_dead_cnode_stops_for_interrupts_and_finishes)
{
	struct cte *x = fill_big_cnode(false);
	unsigned restarts = 0, i;

	cr_assert_eq(until_done(world_delete, 10, &restarts), ERR_OK);    /* X itself */
	model_delete(world_key(10));
	cr_assert_geq(restarts, (1u << 12) / 97 - 1, "only %u restarts", restarts);
	for (i = 1; i <= LONG_N; i++)
		cr_assert_eq(x[i].cap.type, OBJ_NULL, "slot %u is left", i);
	model_check("X emptied");
}
