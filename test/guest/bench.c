/*
 * bench.c - plays root for `make bench`: counts the instructions each kernel
 * operation costs. tools/bench.py boots it (root=bench) and reads its lines.
 *
 * Under QEMU with -icount shift=0 -smp 1 the instret counter counts guest
 * instructions exactly: ours, the kernel's and OpenSBI's. A figure runs its
 * operation BENCH_BATCH times in a loop, BENCH_ROUNDS times over, and keeps
 * the cheapest round: a timer interrupt makes a round dearer, so the
 * cheapest is one that no tick landed in. The same loop around an operation
 * that does nothing is subtracted, leaving what the operation costs as a
 * program sees it, user-side stub included.
 *
 * Output: "bench: NAME X.Y" per figure (instructions per operation, one
 * decimal), then "bench: done". An operation that fails prints
 * "bench: FAIL NAME: ERROR" and the program exits with status 1.
 */
#include "bootinfo.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "spawn.h"
#include "sys.h"

/* 5 x 2,000 = 10,000 operations a figure. A tick comes every 10 M
 * instructions (CLOCK_HZ 100 at 1 G instructions a guest second), and no
 * round here costs more than a few M, so most rounds see no tick. */
#define BENCH_BATCH  2000
#define BENCH_ROUNDS 5
#define POOL_BITS    20      /* a 1 MiB Untyped for the objects we make */

static const struct bootinfo *bi;
static struct spawn_pool pool;

/* The objects the operations work on; their setup functions fill these in. */
static cptr_t copy_src;       /* an unmapped Frame to copy */
static cptr_t copy_dst;       /* an empty slot to copy it into */
static cptr_t map_frame;      /* a Frame to map and unmap... */
static uint64_t map_vaddr;    /* ...here, where the page tables exist */

static uint64_t instret_now(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

/* One round: n calls of op, returning the instructions they took and
 * leaving in *err the errors of all calls or'ed together. noipa keeps the
 * compiler from specializing the loop for one op and inlining it, so every
 * op, the empty one included, pays the same call through a pointer. */
__attribute__((noipa)) static uint64_t bench_round(int (*op)(void), unsigned n, int *err)
{
	uint64_t start, end;
	unsigned i;
	int e = 0;

	start = instret_now();
	for (i = 0; i < n; i++)
		e |= op();
	end = instret_now();
	*err = e;
	return end - start;
}

/* The cheapest of BENCH_ROUNDS rounds of op; *err as for bench_round. */
static uint64_t bench_min(int (*op)(void), int *err)
{
	uint64_t best = ~0ul, cost;
	unsigned r;

	*err = 0;
	for (r = 0; r < BENCH_ROUNDS && *err == 0; r++) {
		cost = bench_round(op, BENCH_BATCH, err);
		if (cost < best)
			best = cost;
	}
	return best;
}

/* --- the operations: each does one of what its figure counts --------------- */

__attribute__((noinline)) static int bench_op_empty(void)
{
	return ERR_OK;
}

/* A system call that does nothing: with one runnable thread, yield() finds
 * nobody else to run and returns at once. */
__attribute__((noinline)) static int bench_op_null_syscall(void)
{
	return yield();
}

/* Copy a capability into an empty slot and delete the copy: one pair. */
__attribute__((noinline)) static int bench_op_cap_copy_delete(void)
{
	int err = cnode_copy(BOOT_SLOT_CNODE, copy_dst, BOOT_SLOT_CNODE, copy_src, RIGHTS_ALL);

	return err != ERR_OK ? err : cnode_delete(BOOT_SLOT_CNODE, copy_dst);
}

/* Map one frame where its page tables already are, and unmap it: one pair. */
__attribute__((noinline)) static int bench_op_page_map_unmap(void)
{
	int err = frame_map(map_frame, BOOT_SLOT_VSPACE, map_vaddr, MAP_READ | MAP_WRITE);

	return err != ERR_OK ? err : frame_unmap(map_frame);
}

/* --- set-up, once per figure before its rounds --------------------------- */

static int bench_setup_cap_copy_delete(void)
{
	int err = spawn_object(&pool, OBJ_FRAME, 0, &copy_src);

	if (err == ERR_OK && pool.next_slot >= pool.end_slot)
		err = ERR_RANGE;
	if (err == ERR_OK)
		copy_dst = pool.next_slot++;
	return err;
}

/* Map the frame once, which makes its page tables, and take it away again. */
static int bench_setup_page_map_unmap(void)
{
	int err;

	map_vaddr = bi->free_vaddr;
	err = spawn_map_new(&pool, BOOT_SLOT_VSPACE, map_vaddr, MAP_READ | MAP_WRITE, &map_frame);
	return err == ERR_OK ? frame_unmap(map_frame) : err;
}

/*
 * The figures, in the order they are printed. Still to come with IPC, one
 * row each (a setup that starts the other thread, an op that does one round
 * trip): ipc_call_reply (the fast path between two address spaces, no
 * words), ipc_call_reply_4w (four words each way), ipc_call_reply_slow (a
 * message that needs the IPC buffer), notify_signal_wait, and pager_fault
 * (a fault, a user handler that maps the page, the thread resumed).
 */
struct bench {
	const char *name;
	int (*setup)(void);       /* NULL, or run once first; returns an error code */
	int (*op)(void);          /* one operation; returns an error code */
};

static const struct bench benches[] = {
	{ "null_syscall", NULL, bench_op_null_syscall },
	{ "cap_copy_delete", bench_setup_cap_copy_delete, bench_op_cap_copy_delete },
	{ "page_map_unmap", bench_setup_page_map_unmap, bench_op_page_map_unmap },
};

/* The biggest RAM Untyped root was given. */
static cptr_t biggest_ram(void)
{
	uint64_t i, best = 0;

	for (i = 1; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device &&
		    (bi->untyped[best].is_device || bi->untyped[i].size_bits > bi->untyped[best].size_bits))
			best = i;
	return bi->untyped_first + best;
}

/* Run one figure and print its line. Returns an error code. */
static int bench_run(const struct bench *b, uint64_t empty)
{
	uint64_t cost, tenths;
	int err = b->setup != NULL ? b->setup() : ERR_OK;

	if (err == ERR_OK)
		cost = bench_min(b->op, &err);
	if (err != ERR_OK) {
		printf("bench: FAIL %s: %s\n", b->name, err_name(err));
		return err;
	}
	cost = cost > empty ? cost - empty : 0;
	tenths = (cost * 10 + BENCH_BATCH / 2) / BENCH_BATCH;
	printf("bench: %s %lu.%lu\n", b->name, tenths / 10, tenths % 10);
	return ERR_OK;
}

int main(const struct bootinfo *info)
{
	uint64_t empty;
	unsigned i;
	int err;

	bi = info;
	if (bi->magic != BOOTINFO_MAGIC) {
		printf("bench: FAIL no boot info at %p\n", (void *)bi);
		return 1;
	}
	pool = (struct spawn_pool){ .cnode = BOOT_SLOT_CNODE, .untyped = bi->first_free_slot,
				    .next_slot = bi->first_free_slot + 1,
				    .end_slot = 1ul << bi->cnode_size_bits };
	err = untyped_retype(biggest_ram(), OBJ_UNTYPED, POOL_BITS, BOOT_SLOT_CNODE, pool.untyped, 1);
	if (err != ERR_OK) {
		printf("bench: FAIL retype the pool: %s\n", err_name(err));
		return 1;
	}
	empty = bench_min(bench_op_empty, &err);
	printf("bench: %u operations a figure; the empty loop takes %lu instructions a round\n",
	       BENCH_BATCH * BENCH_ROUNDS, empty);
	for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (bench_run(&benches[i], empty) != ERR_OK)
			return 1;
	printf("bench: done\n");
	return 0;
}
