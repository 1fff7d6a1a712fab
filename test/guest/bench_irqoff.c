/*
 * bench_irqoff.c - plays root for make bench's worst_irq_off: the longest
 * stretch the kernel runs with interrupts off, over the work that used to
 * take the longest. tools/bench.py boots it (root=bench_irqoff) on
 * build/kernel-irqoff.elf, which prints the figure as it powers off.
 *
 * The work, each part a few system calls that each do a lot:
 *  1. a 2^16-slot CNode full of copies of one endpoint: revoke the endpoint;
 *  2. the same CNode as a chain of 64k copies, each of the one before:
 *     revoke the endpoint;
 *  3. the CNode full again: delete its last cap, so the kernel empties it;
 *  4. 20,000 notifications with armed timers: revoke their Untyped.
 * Retyping the 4 MiB CNode, and the notifications, counts too.
 * Output: "bench: irqoff PART ok" per part, then "bench: done"; a failure
 * prints "bench: FAIL PART: ERROR" and exits with status 1.
 */
#include <stdbool.h>

#include "bootinfo.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "spawn.h"
#include "sys.h"

#define BIG_RADIX   16
#define BIG_SLOTS   (1u << BIG_RADIX)
#define NTFNS       20000
#define NTFN_RADIX  15          /* their CNode: 32k slots */
#define NTFN_BITS   21          /* their Untyped: 2 MiB, for 20,000 x 64 bytes */

static struct spawn_pool pool;
static cptr_t big, ep;

static void fail(const char *part, int err)
{
	printf("bench: FAIL %s: %s\n", part, err_name(err));
	exit(1);
}

/* Slots 1.. of the big CNode: copies of the endpoint, all its children, or
 * a chain, each copy the child of the one before. */
static int fill(bool chain)
{
	unsigned i;
	int err = ERR_OK;

	for (i = 1; i < BIG_SLOTS && err == ERR_OK; i++)
		err = chain && i > 1 ? cnode_copy(big, i, big, i - 1, RIGHTS_ALL) :
			cnode_copy(big, i, BOOT_SLOT_CNODE, ep, RIGHTS_ALL);
	return err;
}

/* 20,000 notifications from an Untyped of their own in a CNode of their
 * own, each with a timer armed far ahead (each later than the last); then
 * a revoke of that Untyped destroys them all. Our CSpace is one CNode, so
 * each notification comes into it to have its timer set, and goes back. */
static int notifications(void)
{
	cptr_t ut, cnode, here;
	uint64_t far = time_now() + 1000000000ul;
	unsigned i;
	int err = spawn_object(&pool, OBJ_UNTYPED, NTFN_BITS, &ut);

	if (err == ERR_OK)
		err = spawn_object(&pool, OBJ_CNODE, NTFN_RADIX, &cnode);
	here = pool.next_slot;
	for (i = 0; i < NTFNS && err == ERR_OK; i += RETYPE_MAX_COUNT)
		err = untyped_retype(ut, OBJ_NOTIFICATION, 0, cnode, 1 + i,
				     NTFNS - i < RETYPE_MAX_COUNT ? NTFNS - i : RETYPE_MAX_COUNT);
	for (i = 0; i < NTFNS && err == ERR_OK; i++) {
		err = cnode_move(BOOT_SLOT_CNODE, here, cnode, 1 + i);
		if (err == ERR_OK)
			err = notification_set_timer(here, far + i);
		if (err == ERR_OK)
			err = cnode_move(cnode, 1 + i, BOOT_SLOT_CNODE, here);
	}
	return err == ERR_OK ? cnode_revoke(BOOT_SLOT_CNODE, ut) : err;
}

int main(const struct bootinfo *bi)
{
	int err = spawn_pool_init(&pool, bi, 24, 0);

	if (err == ERR_OK)
		err = spawn_object(&pool, OBJ_ENDPOINT, 0, &ep);
	if (err == ERR_OK)
		err = spawn_object(&pool, OBJ_CNODE, BIG_RADIX, &big);
	if (err != ERR_OK)
		fail("setup", err);
	if ((err = fill(false)) != ERR_OK || (err = cnode_revoke(BOOT_SLOT_CNODE, ep)) != ERR_OK)
		fail("revoke_full_cnode", err);
	printf("bench: irqoff revoke_full_cnode ok\n");
	if ((err = fill(true)) != ERR_OK || (err = cnode_revoke(BOOT_SLOT_CNODE, ep)) != ERR_OK)
		fail("revoke_chain", err);
	printf("bench: irqoff revoke_chain ok\n");
	if ((err = fill(false)) != ERR_OK || (err = cnode_delete(BOOT_SLOT_CNODE, big)) != ERR_OK)
		fail("delete_full_cnode", err);
	printf("bench: irqoff delete_full_cnode ok\n");
	if ((err = notifications()) != ERR_OK)
		fail("timers", err);
	printf("bench: irqoff timers ok\n");
	printf("bench: done\n");
	return 0;
}
