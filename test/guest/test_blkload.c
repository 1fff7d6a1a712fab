/*
 * test_blkload.c - the block driver's reincarnation under load. Plays
 * root: supervises user/blk (blkdrv.h) and starts it again at each of its
 * deaths, while three client threads write their own sectors and read
 * them back through it, and a fourth thread makes it die `faults=N` times
 * (boot argument, 20 if absent): SERVER_INJECT of each fault kind but the
 * endless loop in turn (that one needs a heartbeat, which root's own tests
 * have), each after a pseudo-random pause, so the faults land in the middle
 * of whatever the driver was doing. The clients' stubs send again what the
 * dead driver took with it; every byte they read must be what they wrote
 * last, and when the faults are over each reads its whole area back once
 * more. The summary lines are what `make test-faults` reports.
 */
#define CHECK_NAME "test_blkload"
#include "check.h"
#include "ipc.h"
#include "playroot.h"
#include "blkdrv.h"
#include "blkpattern.h"
#include "root_proto.h"
#include "str.h"
#include "sys.h"

#define WORKERS        3
#define WORKER_PAGES   33          /* 128 sectors at any sector offset, and a spare page */
#define SLOTS          4           /* each worker writes 128-sector slots in turn */
#define PRIORITY_CLIENT 100
#define DEFAULT_FAULTS 20
#define PAUSE_MIN      5000        /* ticks between faults: 0.5 M instructions... */
#define PAUSE_SPREAD   30000       /* ...to 3.5 M */

/* Badges on the supervisor's endpoint: the driver's faults, and the
 * threads saying they are done. */
enum { BADGE_DRIVER = 1, BADGE_DONE = 2 };

static struct spawn_pool pool;
static struct blkdrv drv;
static cptr_t super_ep, done_ep;
static volatile bool faults_over;

struct worker {
	struct blk_client c;
	cptr_t frames[WORKER_PAGES];
	uint8_t *buf;
	unsigned rounds;
	unsigned last_round[SLOTS];  /* the round each slot was written in, + 1 */
	unsigned long bad_bytes;     /* read back different from what was written */
	unsigned long failed;        /* requests that failed even after the retries */
};

static struct worker workers[WORKERS];

static struct {
	struct blk_client c;
	unsigned long faults, injected, refused;
} injector;

static void thread_done(void)
{
	struct ipc_msg m = { .info = MSGINFO(0, 0, 0) };

	ipc_send(done_ep, &m);
}

/* Worker w's area is sectors 1024 + 512w.., SLOTS slots of 128. Each round
 * writes the next slot in one request, reads it back 8 sectors at a time
 * into odd places of the buffer, until the faults are over; then it reads
 * every slot back whole, one request each. */
static void worker_main(uint64_t w)
{
	struct worker *me = &workers[w];
	uint64_t base = 1024 + w * 512;
	unsigned who = (unsigned)w + 1, s, slot;

	while (!faults_over) {
		uint64_t sector = base + (me->rounds % SLOTS) * 128;

		blkpattern_fill(me->buf + 512, who, me->rounds, sector, 128);
		me->failed += blk_write(&me->c, sector, 128, me->buf + 512) != ERR_OK;
		me->last_round[me->rounds % SLOTS] = me->rounds + 1;
		for (s = 0; s < 128; s += 8) {
			uint8_t *in = me->buf + 32 * 4096 - (s % 5) * 1024;

			memset(in, 0, 8 * BLK_SECTOR_SIZE);
			me->failed += blk_read(&me->c, sector + s, 8, in) != ERR_OK;
			me->bad_bytes += blkpattern_mismatches(in, who, me->rounds, sector + s, 8);
		}
		me->rounds++;
	}
	for (slot = 0; slot < SLOTS; slot++) {
		if (me->last_round[slot] == 0)
			continue;
		memset(me->buf, 0, 128 * BLK_SECTOR_SIZE);
		me->failed += blk_read(&me->c, base + slot * 128, 128, me->buf) != ERR_OK;
		me->bad_bytes += blkpattern_mismatches(me->buf, who, me->last_round[slot] - 1,
					    base + slot * 128, 128);
	}
	thread_done();
}

/* The kinds of fault, in turn: each is a different way for a driver to die. */
static const unsigned fault_kinds[] = { FAULT_NULL_POINTER, FAULT_WILD_POINTER, FAULT_ILLEGAL,
					FAULT_EXIT };

static void injector_main(uint64_t ntfn)
{
	uint64_t seed = 0x9e3779b97f4a7c15ul;
	unsigned long i;

	for (i = 0; i < injector.faults; i++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		if (sleep_until(ntfn, time_now() + PAUSE_MIN + (seed >> 33) % PAUSE_SPREAD) != ERR_OK)
			break;
		/* A driver that dies as asked never answers: the call ends
		 * ERR_CANCELLED when its supervisor takes it away. */
		if (blk_inject(&injector.c, fault_kinds[i % 4]) == ERR_CANCELLED)
			injector.injected++;
		else
			injector.refused++;
	}
	faults_over = true;
	thread_done();
}

/* The number in boot argument `key`=N, or fallback. */
static unsigned long bootarg_number(const struct bootinfo *bi, const char *key,
				    unsigned long fallback)
{
	const char *p = bi->bootargs;
	size_t len = strlen(key);
	unsigned long n = 0;

	for (; *p; p++) {
		if ((p == bi->bootargs || p[-1] == ' ') && strncmp(p, key, len) == 0 && p[len] == '=') {
			for (p += len + 1; *p >= '0' && *p <= '9'; p++)
				n = n * 10 + (unsigned long)(*p - '0');
			return n;
		}
	}
	return fallback;
}

static int start_threads(cptr_t *tcbs)
{
	cptr_t ep, ntfn;
	unsigned w;
	int err = ERR_OK;

	for (w = 0; err == ERR_OK && w < WORKERS; w++) {
		struct worker *me = &workers[w];

		if ((err = blkdrv_client_ep(&drv, &pool, 1 + w, &ep)) ||
		    (err = blkdrv_buffer(&pool, WORKER_PAGES, &me->buf, me->frames)) ||
		    (err = blk_connect(&me->c, ep, me->buf, me->frames, WORKER_PAGES)))
			break;
		err = playroot_thread(&pool, worker_main, w, PRIORITY_CLIENT, "blk_worker", &tcbs[w]);
	}
	if (err == ERR_OK && (err = blkdrv_client_ep(&drv, &pool, 1 + WORKERS, &ep)) == ERR_OK &&
	    (err = blk_connect(&injector.c, ep, NULL, NULL, 0)) == ERR_OK &&
	    (err = spawn_object(&pool, OBJ_NOTIFICATION, 0, &ntfn)) == ERR_OK)
		err = playroot_thread(&pool, injector_main, ntfn, PRIORITY_CLIENT, "blk_injector",
				      &tcbs[WORKERS]);
	for (w = 0; err == ERR_OK && w <= WORKERS; w++)
		err = tcb_resume(tcbs[w]);
	return err;
}

int main(const struct bootinfo *bi)
{
	struct ipc_msg m;
	cptr_t tcbs[WORKERS + 1];
	unsigned long restarts = 0, rounds = 0, bad = 0, failed = 0, retries = 0;
	unsigned w, done = 0;
	int err = ERR_OK;

	injector.faults = bootarg_number(bi, "faults", DEFAULT_FAULTS);
	check("make a pool of objects", playroot_init(bi, &pool, 23), ERR_OK);
	check("make the supervisor's endpoint", spawn_object(&pool, OBJ_ENDPOINT, 0, &super_ep),
	      ERR_OK);
	done_ep = pool.next_slot++;
	check("and the threads' way to it", cnode_mint(BOOT_SLOT_CNODE, done_ep, BOOT_SLOT_CNODE,
						       super_ep, RIGHT_WRITE, BADGE_DONE), ERR_OK);
	check("start the driver with fault injection on",
	      blkdrv_init(&drv, &pool, super_ep, BADGE_DRIVER, SERVER_ARG_INJECT | BLK_ARG_QUIET),
	      ERR_OK);
	check("start three clients and the injector", start_threads(tcbs), ERR_OK);
	printf("test_blkload: %lu faults to inject under load\n", injector.faults);
	/* The supervisor: every message from the driver's badge is its death
	 * (a fault, or an exit); it is never answered, only replaced. */
	while (err == ERR_OK && done < WORKERS + 1 && ipc_recv(super_ep, &m) == ERR_OK) {
		if (m.badge == BADGE_DONE) {
			done++;
			continue;
		}
		restarts++;
		err = blkdrv_restart(&drv, &pool);
	}
	check("every restart worked", err, ERR_OK);
	for (w = 0; w < WORKERS; w++) {
		rounds += workers[w].rounds;
		bad += workers[w].bad_bytes;
		failed += workers[w].failed;
		retries += workers[w].c.retries;
	}
	printf("test_blkload: %u clients did %lu rounds; their stubs sent %lu requests again\n",
	       WORKERS, rounds, retries);
	printf("test_blkload: faults injected: %lu\n", injector.injected);
	printf("test_blkload: restarts: %lu\n", restarts);
	printf("test_blkload: data errors: %lu\n", bad + failed);
	check_eq("every fault asked for was made", injector.injected, injector.faults);
	check_eq("the driver refused none", injector.refused, 0);
	check_eq("each was followed by a restart", restarts, injector.injected);
	check_eq("no request failed", failed, 0);
	check_eq("every byte read back is what was written", bad, 0);
	check_eq("the stubs sent requests the driver died with again", retries > 0, 1);
	check_eq("the clients kept working between faults", rounds >= injector.faults, 1);
	check("stop the driver", blkdrv_stop(&drv), ERR_OK);
	return check_done();
}
