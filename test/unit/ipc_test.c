/*
 * ipc_test.c - endpoint queues when threads go away (kernel/ipc.c,
 * kernel/thread.c), on the host: a thread destroyed or suspended while it
 * waits in an endpoint's queue leaves no trace there, and the others keep
 * their order; a caller whose server goes away wakes with ERR_CANCELLED;
 * a server whose caller goes away has nobody to reply to.
 *
 * Threads here never enter user mode: world_make_current() makes one the
 * current thread, and the test then makes its system call by calling the
 * kernel's IPC entry points directly, as sys_send() and sys_recv() would.
 */
#include <criterion/criterion.h>

#include "cap_world.h"
#include "errors.h"
#include "msg.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */
#include "../../kernel/ipc.h"      /* ... and an ipc.h */

#define RADIX   8
#define EP      10     /* the endpoint */
#define TCB0    20     /* TCBs 20.. */

static void setup(void)
{
	world_init(RADIX, WORLD_UT_PA, WORLD_UT_BITS, false);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_ENDPOINT, 0, SLOT_CNODE, EP, 1), ERR_OK);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_TCB, 0, SLOT_CNODE, TCB0, 4), ERR_OK);
}

TestSuite(ipc, .init = setup);

/* TCB i, sharing the caller's CSpace, at the caller's priority. */
static struct thread *thread_at(unsigned i)
{
	struct thread *t = pa_to_kva(world_slot(TCB0 + i)->cap.paddr);

	t->cspace = world.caller->cspace;
	t->cspace_radix = world.caller->cspace_radix;
	t->priority = world.caller->priority;
	return t;
}

static struct endpoint *endpoint(void)
{
	return pa_to_kva(world_slot(EP)->cap.paddr);
}

/* t becomes current and sends (or calls) a one-word message `word`. */
static int send_from(struct thread *t, uint64_t word, bool call)
{
	world_make_current(t);
	t->regs.x[REG_A1] = MSGINFO(1, 0, 1);
	t->regs.x[REG_A2] = word;
	return ipc_send(t, world_slot(EP), true, call);
}

/* The caller receives without blocking; returns the error, *word the message. */
static int receive(uint64_t *word)
{
	struct thread *me = world.caller;
	int err;

	world_make_current(me);
	err = ipc_recv(me, world_slot(EP), false);
	*word = me->regs.x[REG_A2];
	return err;
}

static void assert_queue_is(struct thread *const *want, unsigned n)
{
	struct thread *t = endpoint()->queue.head, *prev = NULL;
	unsigned i;

	for (i = 0; i < n; i++, prev = t, t = t->queue_next) {
		cr_assert_eq(t, want[i], "queue position %u", i);
		cr_assert_eq(t->queue_prev, prev, "queue position %u links back", i);
	}
	cr_assert_null(t, "the queue ends after %u threads", n);
	cr_assert_eq(endpoint()->queue.tail, prev);
}

Test(ipc, a_destroyed_sender_leaves_the_queue_and_the_rest_keep_their_order)
{
	struct thread *a = thread_at(0), *b = thread_at(1), *c = thread_at(2);
	uint64_t word;

	cr_assert_eq(send_from(a, 1, false), ERR_OK);
	cr_assert_eq(send_from(b, 2, false), ERR_OK);
	cr_assert_eq(send_from(c, 3, false), ERR_OK);
	assert_queue_is((struct thread *[]){ a, b, c }, 3);
	cr_assert_eq(world_delete(SLOT_CNODE, TCB0 + 1), ERR_OK);   /* b's only cap */
	assert_queue_is((struct thread *[]){ a, c }, 2);
	cr_assert_eq(receive(&word), ERR_OK);
	cr_assert_eq(word, 1);
	cr_assert_eq(receive(&word), ERR_OK);
	cr_assert_eq(word, 3);
	cr_assert_eq(receive(&word), ERR_WOULD_BLOCK);
	assert_queue_is(NULL, 0);
	cr_assert_eq(a->state, THREAD_RUNNABLE);
	cr_assert_eq(a->regs.x[REG_A0], ERR_OK, "the sender learns its message went");
}

Test(ipc, a_suspended_head_leaves_the_queue_with_err_cancelled_on_resume)
{
	struct thread *a = thread_at(0), *b = thread_at(1);
	uint64_t word;

	cr_assert_eq(send_from(a, 1, false), ERR_OK);
	cr_assert_eq(send_from(b, 2, false), ERR_OK);
	world_make_current(world.caller);
	thread_suspend(a);
	assert_queue_is((struct thread *[]){ b }, 1);
	cr_assert_eq(a->state, THREAD_INACTIVE);
	cr_assert_null(a->wait_queue);
	cr_assert_eq(receive(&word), ERR_OK);
	cr_assert_eq(word, 2);
}

Test(ipc, a_caller_whose_server_is_destroyed_wakes_with_err_cancelled)
{
	struct thread *client = thread_at(0), *server = thread_at(1);

	world_make_current(server);
	cr_assert_eq(ipc_recv(server, world_slot(EP), true), ERR_OK);   /* blocks */
	cr_assert_eq(server->state, THREAD_BLOCKED_RECV);
	cr_assert_eq(send_from(client, 7, true), ERR_OK);             /* a call */
	cr_assert_eq(client->state, THREAD_BLOCKED_REPLY);
	cr_assert_eq(server->caller, client);
	cr_assert_eq(server->regs.x[REG_A2], 7);
	cr_assert_eq(world_delete(SLOT_CNODE, TCB0 + 1), ERR_OK);     /* the server */
	cr_assert_eq(client->state, THREAD_RUNNABLE);
	cr_assert_eq(client->regs.x[REG_A0], ERR_CANCELLED);
	cr_assert_null(client->reply_holder);
}

Test(ipc, a_server_whose_caller_is_destroyed_has_nobody_to_answer)
{
	struct thread *client = thread_at(0), *server = thread_at(1);

	cr_assert_eq(send_from(client, 7, true), ERR_OK);   /* queued: nobody receives yet */
	cr_assert_eq(client->state, THREAD_BLOCKED_CALL);
	world_make_current(server);
	cr_assert_eq(ipc_recv(server, world_slot(EP), true), ERR_OK);
	cr_assert_eq(server->caller, client);
	cr_assert_eq(world_delete(SLOT_CNODE, TCB0 + 0), ERR_OK);     /* the client */
	cr_assert_null(server->caller);
	world_make_current(server);
	server->regs.x[REG_A1] = MSGINFO(0, 0, 0);
	cr_assert_eq(ipc_reply(server), ERR_NO_CALLER);
	assert_queue_is(NULL, 0);
}

Test(ipc, a_deleted_endpoint_wakes_every_waiter)
{
	struct thread *a = thread_at(0), *b = thread_at(1);

	cr_assert_eq(send_from(a, 1, false), ERR_OK);
	cr_assert_eq(send_from(b, 2, true), ERR_OK);
	world_make_current(world.caller);
	cr_assert_eq(world_delete(SLOT_CNODE, EP), ERR_OK);
	cr_assert_eq(a->state, THREAD_RUNNABLE);
	cr_assert_eq(b->state, THREAD_RUNNABLE);
	cr_assert_eq(a->regs.x[REG_A0], ERR_CANCELLED);
	cr_assert_eq(b->regs.x[REG_A0], ERR_CANCELLED);
	cr_assert_null(a->wait_queue);
	cr_assert_null(b->wait_queue);
}

/* --- capabilities in messages: what user space cannot make the kernel do --- */

#define RECV_SLOT 30     /* where the caller receives caps */
#define EMPTY     40     /* a slot that stays empty */
#define EP_COPY   41     /* a copy of the endpoint, to send */
#define EP_NOGRANT 42    /* the endpoint without the grant right */

/* a gets an IPC buffer of its own whose caps[0] is `cap`; the caller
 * receives caps at RECV_SLOT. */
static struct thread *sender_with_cap(uint64_t cap)
{
	struct thread *a = thread_at(0);
	struct ipc_buffer *abuf = pa_to_kva(WORLD_SPARE_PA), *cbuf = pa_to_kva(WORLD_IPC_PA);

	a->ipc_buffer = WORLD_SPARE_PA;
	abuf->caps[0] = cap;
	cbuf->recv_cnode = SLOT_CNODE;
	cbuf->recv_slot = RECV_SLOT;
	return a;
}

/* a's one-word message with ncaps caps on the endpoint cap in `slot`. */
static int send_caps(struct thread *a, uint64_t slot, unsigned ncaps)
{
	world_make_current(a);
	a->regs.x[REG_A1] = MSGINFO(1, ncaps, 1);
	return ipc_send(a, world_slot(slot), true, false);
}

Test(ipc, a_message_whose_cap_names_an_empty_slot_arrives_without_it)
{
	struct thread *a = sender_with_cap(EMPTY), *me = world.caller;

	world_make_current(me);
	cr_assert_eq(ipc_recv(me, world_slot(EP), true), ERR_OK);      /* waits */
	cr_assert_eq(send_caps(a, EP, 1), ERR_OK);
	cr_assert_eq(me->state, THREAD_RUNNABLE);
	cr_assert_eq(MSGINFO_NCAPS(me->regs.x[REG_A1]), 0);
	cr_assert(me->regs.x[REG_A1] & MSGINFO_FLAG_CAPS_LOST);
	cr_assert_eq(world_slot(RECV_SLOT)->cap.type, OBJ_NULL);
}

Test(ipc, a_reply_whose_cap_names_an_empty_slot_arrives_without_it)
{
	struct thread *server = sender_with_cap(EMPTY), *me = world.caller;

	world_make_current(server);
	cr_assert_eq(ipc_recv(server, world_slot(EP), true), ERR_OK);
	world_make_current(me);
	me->regs.x[REG_A1] = MSGINFO(1, 0, 0);
	cr_assert_eq(ipc_send(me, world_slot(EP), true, true), ERR_OK);
	cr_assert_eq(me->state, THREAD_BLOCKED_REPLY);
	world_make_current(server);
	server->regs.x[REG_A1] = MSGINFO(0, 1, 0);
	cr_assert_eq(ipc_reply(server), ERR_OK);
	cr_assert_eq(me->state, THREAD_RUNNABLE);
	cr_assert(me->regs.x[REG_A1] & MSGINFO_FLAG_CAPS_LOST);
	cr_assert_eq(world_slot(RECV_SLOT)->cap.type, OBJ_NULL);
}

Test(ipc, a_queued_senders_cap_deleted_before_delivery_does_not_arrive)
{
	struct thread *a = sender_with_cap(EP_COPY);
	uint64_t word;

	cr_assert_eq(world_copy(SLOT_CNODE, EP_COPY, SLOT_CNODE, EP, RIGHTS_ALL), ERR_OK);
	cr_assert_eq(send_caps(a, EP, 1), ERR_OK);                      /* queued */
	world_make_current(world.caller);
	cr_assert_eq(world_delete(SLOT_CNODE, EP_COPY), ERR_OK);
	cr_assert_eq(receive(&word), ERR_OK);
	cr_assert(world.caller->regs.x[REG_A1] & MSGINFO_FLAG_CAPS_LOST);
	cr_assert_eq(world_slot(RECV_SLOT)->cap.type, OBJ_NULL);
}

/* The message a queued sender delivers is the one ipc_send() checked:
 * writing its registers afterwards cannot add caps the endpoint cap had no
 * grant right for, nor words past the limit. */
Test(ipc, writing_a_queued_senders_registers_cannot_raise_its_caps_or_length)
{
	struct thread *a = sender_with_cap(EP_COPY);
	uint64_t regs[32] = { 0 }, word;

	cr_assert_eq(world_copy(SLOT_CNODE, EP_COPY, SLOT_CNODE, EP, RIGHTS_ALL), ERR_OK);
	cr_assert_eq(world_copy(SLOT_CNODE, EP_NOGRANT, SLOT_CNODE, EP, RIGHT_READ | RIGHT_WRITE),
		     ERR_OK);
	cr_assert_eq(send_caps(a, EP_NOGRANT, 1), ERR_NO_RIGHTS, "no grant, no caps");
	cr_assert_eq(send_caps(a, EP_NOGRANT, 0), ERR_OK);              /* queued */
	world_make_current(world.caller);
	regs[REG_A1] = MSGINFO(1, 1, 127);
	regs[REG_A2] = 5;
	cr_assert_eq(world_call(TCB0, INV_TCB_WRITE_REGISTERS, 32, regs), ERR_OK);
	cr_assert_eq(a->regs.x[REG_A1], MSGINFO(1, 1, 127));
	cr_assert_eq(receive(&word), ERR_OK);
	cr_assert_eq(word, 5, "the words are the sender's registers now");
	cr_assert_eq(world.caller->regs.x[REG_A1], MSGINFO(1, 0, 1), "as it was sent");
	cr_assert_eq(world_slot(RECV_SLOT)->cap.type, OBJ_NULL, "no cap without grant");
}

/* Found by test_fuzzcaps: a thread suspended in the middle of a wait went
 * on, once resumed, with a0 still the cptr it passed, as if the call had
 * returned that number. The wait ends with ERR_CANCELLED. */
Test(ipc, a_receiver_suspended_mid_wait_gets_err_cancelled)
{
	struct thread *a = thread_at(0);

	world_make_current(a);
	a->regs.x[REG_A0] = EP;
	cr_assert_eq(ipc_recv(a, world_slot(EP), true), ERR_OK);
	cr_assert_eq(a->state, THREAD_BLOCKED_RECV);
	world_make_current(world.caller);
	thread_suspend(a);
	cr_assert_eq(a->regs.x[REG_A0], ERR_CANCELLED);
	thread_resume(a);
	cr_assert_eq(a->state, THREAD_RUNNABLE);
}
