/*
 * test_fsfaults.c - the block driver dies under the file system, again
 * and again (tools/faults.py's fs workload: make test-faults, and 20
 * rounds in make test). Plays root (fsroot.h) on a copy of build/fs.img
 * and runs the crash tests' write-heavy workload (fsworkload.h). Each
 * round makes the driver die (each fault kind in turn) and runs
 * operations until the supervisor has restarted it: in even rounds the fs
 * itself makes it die before a pseudo-random request of its own
 * (FS_INJECT), in odd rounds a thread of ours does, as a client of the
 * driver, after a pseudo-random pause, while the fs waits on a request the
 * driver took with it. Every operation must succeed (the
 * fs's calls are sent again to the new driver) and afterwards every file
 * must hold exactly what the operations wrote. Boot argument faults=N.
 */
#include "errors.h"
#include "printf.h"
#include "playroot.h"
#include "blkdrv.h"
#include "fsroot.h"
#include "fsbootarg.h"
#include "fsworkload.h"
#include "root_proto.h"

#define OPS_PER_ROUND 64          /* a round whose death never came fails */
/* Below everything else: once its pause is over, the injector runs at the
 * first moment the test, the fs and the driver all wait, which is while
 * the disk works on a request of the fs's. */
#define INJECTOR_PRIORITY 1
#define PAUSE_MAX 20000           /* ticks before the injector strikes: up to 2 M instructions */
#define BADGE_INJECTOR 9          /* its badge as the driver's client */

static struct fs_client *c = &fsroot.c;

static const unsigned kinds[] = { FAULT_NULL_POINTER, FAULT_WILD_POINTER, FAULT_ILLEGAL,
				  FAULT_EXIT };

static struct {
	struct blk_client c;
	cptr_t go, timer, tcb;
	volatile unsigned kind;
	volatile unsigned long refused;
} injector;

/* Each signal on injector.go: wait a pseudo-random while, then make the
 * driver die. A driver that dies as asked never answers: the call ends
 * ERR_CANCELLED when the supervisor takes it away. */
static void injector_main(uint64_t unused)
{
	uint64_t seed = 0x2545f4914f6cdd1dull, bits;

	(void)unused;
	while (notify_wait(injector.go, &bits) == ERR_OK) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		if (sleep_until(injector.timer, time_now() + 1 + (seed >> 33) % PAUSE_MAX) != ERR_OK ||
		    blk_inject(&injector.c, injector.kind) != ERR_CANCELLED)
			injector.refused++;
	}
}

static int injector_start(void)
{
	cptr_t ep;
	int err;

	if ((err = spawn_object(&fsroot.pool, OBJ_NOTIFICATION, 0, &injector.go)) ||
	    (err = spawn_object(&fsroot.pool, OBJ_NOTIFICATION, 0, &injector.timer)) ||
	    (err = blkdrv_client_ep(&fsroot.blk, &fsroot.pool, BADGE_INJECTOR, &ep)) ||
	    (err = blk_connect(&injector.c, ep, NULL, NULL, 0)) ||
	    (err = playroot_thread(&fsroot.pool, injector_main, 0, INJECTOR_PRIORITY, "injector",
				   &injector.tcb)))
		return err;
	return tcb_resume(injector.tcb);
}

/* Make the driver die in this round: by the fs (even rounds) or by the
 * injector (odd rounds). */
static int arm(unsigned long round, unsigned kind, uint64_t r)
{
	if (round % 2 == 0)
		return fs_inject(c, FS_FAULT_KILL_DRIVER, 1 + (r >> 33) % 24, kind, NULL);
	injector.kind = kind;
	return notify_signal(injector.go);
}

int main(const struct bootinfo *bi)
{
	unsigned long rounds = fsbootarg(bi, "faults", 20), injected = 0, errors = 0, round;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	unsigned i = 0, j;
	int err;

	if ((err = fsroot_start(bi, SERVER_ARG_INJECT | BLK_ARG_QUIET,
				SERVER_ARG_INJECT | FS_ARG_QUIET)) != ERR_OK ||
	    (err = fs_mkdir(c, FS_HANDLE_ROOT, "/w")) != ERR_OK || (err = injector_start()) != ERR_OK) {
		printf("test_fsfaults: FAIL cannot start: %s\n", err_name(err));
		return 1;
	}
	printf("test_fsfaults: %lu faults to inject under the fs\n", rounds);
	for (round = 1; round <= rounds; round++) {
		unsigned long before = fsroot.blk_restarts;
		unsigned kind = kinds[round % 4], ops;

		r = r * 6364136223846793005ull + 1442695040888963407ull;
		if ((err = arm(round, kind, r))) {
			printf("test_fsfaults: FAIL round %lu: arm the driver's death: %s\n", round,
			       err_name(err));
			return 1;
		}
		for (ops = 0; fsroot.blk_restarts == before && ops < OPS_PER_ROUND; ops++, i++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			err = fsworkload_op(c, i, (unsigned)(r >> 40) % FSW_FILES, r >> 20, 0);
			if (err != ERR_OK) {
				printf("test_fsfaults: round %lu: operation %u: %s\n", round, i,
				       err_name(err));
				errors++;
			}
		}
		if (fsroot.blk_restarts == before) {
			printf("test_fsfaults: FAIL round %lu: the driver did not die\n", round);
			break;
		}
		injected++;
		printf("test_fsfaults: round %lu: blk died (fault %u, by the %s) after %u operations; "
		       "restart %lu\n", round, kind, round % 2 ? "injector" : "fs", ops,
		       fsroot.blk_restarts);
		for (j = 0; j < FSW_FILES; j++)
			if (!fsworkload_intact(c, j)) {
				printf("test_fsfaults: round %lu: /w/f%u does not hold what was written\n",
				       round, j);
				errors++;
			}
	}
	if (fsroot.fs_died || injector.refused)
		errors++;
	printf("test_fsfaults: faults injected %lu, data errors %lu\n", injected, errors);
	cnode_delete(BOOT_SLOT_CNODE, injector.tcb);
	fsroot_stop();
	return injected == rounds && errors == 0 ? 0 : 1;
}
