/*
 * test_blk.c - plays root, starts the block driver (blkdrv.h) on a blank
 * 4 MiB disk (test/qemu/cases/blk_*.test) and is its client: writes and
 * reads back 1, 8 and 128 sectors, across page boundaries, the first and
 * the last sector; sends every bad request blk_proto.h lists and checks
 * each error, and that the driver keeps serving after them; takes a frame
 * away under the driver and gives the buffer back; then runs four client
 * threads at once against it and checks the device held several of their
 * requests at a time, and that every byte read is what was written.
 */
#define CHECK_NAME "test_blk"
#include "check.h"
#include "fmt.h"
#include "ipc.h"
#include "playroot.h"
#include "blkdrv.h"
#include "blkpattern.h"
#include "root_proto.h"
#include "str.h"
#include "sys.h"

#define DISK_SECTORS 8192        /* the case's disk: 4 MiB */
#define BUF_PAGES    40          /* the main client's buffer: 160 KiB */
#define WORKERS      4
#define WORKER_PAGES 33          /* 128 sectors at any sector offset, and a spare page */
#define WORKER_ROUNDS 6
#define PRIORITY_CLIENT 100

static struct spawn_pool pool;
static struct blkdrv drv;
static struct blk_client client;
static cptr_t frames[BUF_PAGES];
static uint8_t *buf;

static unsigned nonzero(const uint8_t *p, unsigned n)
{
	unsigned i, bad = 0;

	for (i = 0; i < n; i++)
		bad += p[i] != 0;
	return bad;
}

/* Write count sectors at sector from buf+out, read them into buf+in, and
 * return how many bytes came back different. */
static unsigned round_trip(uint64_t sector, unsigned count, unsigned out, unsigned in,
			   const char *what)
{
	char name[80];

	blkpattern_fill(buf + out, 0, count, sector, count);
	memset(buf + in, 0, count * BLK_SECTOR_SIZE);
	fmt_snprint(name, sizeof(name), "write %s", what);
	check(name, blk_write(&client, sector, count, buf + out), ERR_OK);
	fmt_snprint(name, sizeof(name), "read %s back", what);
	check(name, blk_read(&client, sector, count, buf + in), ERR_OK);
	return blkpattern_mismatches(buf + in, 0, count, sector, count);
}

/* A hand-made request: label, `words` words from w[], caps from caps[]. */
static int raw(cptr_t ep, unsigned label, unsigned words, const uint64_t *w, unsigned ncaps,
	       const cptr_t *caps)
{
	struct ipc_msg m = { .info = MSGINFO(label, ncaps, words) };
	unsigned i;
	int err;

	for (i = 0; i < 4; i++)
		m.mr[i] = w[i];
	for (i = 0; i < ncaps; i++)
		ipc_buffer()->caps[i] = caps[i];
	err = ipc_call(ep, &m);
	return err != ERR_OK ? err : (int)MSGINFO_LABEL(m.info);
}

static int raw_transfer(unsigned label, uint64_t sector, uint64_t count, uint64_t offset)
{
	const uint64_t w[4] = { BLK_PROTO_VERSION, sector, count, offset };

	return raw(client.ep, label, 4, w, 0, NULL);
}

static void bad_requests(void)
{
	const uint64_t v[4] = { BLK_PROTO_VERSION, 0, 1, 0 };
	const uint64_t old[4] = { BLK_PROTO_VERSION - 1, 0, 1, 0 };
	cptr_t ep0, ep17, readonly, notframe = drv.ep;
	const uint64_t attach_far[4] = { BLK_PROTO_VERSION, BLK_MAX_PAGES - 1, 0, 0 };

	check("read past the end of the disk",
	      raw_transfer(BLK_READ, DISK_SECTORS - 1, 2, 0), ERR_RANGE);
	check("write past the end of the disk",
	      raw_transfer(BLK_WRITE, DISK_SECTORS, 1, 0), ERR_RANGE);
	check("read of a sector that overflows",
	      raw_transfer(BLK_READ, ~0ul, 8, 0), ERR_RANGE);
	check("read of 0 sectors", raw_transfer(BLK_READ, 0, 0, 0), ERR_INVALID_ARGUMENT);
	check("read of one sector too many",
	      raw_transfer(BLK_READ, 0, BLK_MAX_SECTORS + 1, 0), ERR_INVALID_ARGUMENT);
	check("read into a misaligned buffer", raw_transfer(BLK_READ, 0, 1, 100), ERR_ALIGNMENT);
	check("write from a misaligned buffer", raw_transfer(BLK_WRITE, 0, 1, 4095), ERR_ALIGNMENT);
	check("read reaching past the biggest buffer",
	      raw_transfer(BLK_READ, 0, 16, (BLK_MAX_PAGES - 1) * 4096ul), ERR_BAD_ADDRESS);
	check("read into a huge offset", raw_transfer(BLK_READ, 0, 1, ~0ul - 511), ERR_BAD_ADDRESS);
	check("read into a page never attached",
	      raw_transfer(BLK_READ, 0, 8, BUF_PAGES * 4096ul), ERR_NOT_FOUND);
	check("read running off the attached pages",
	      raw_transfer(BLK_READ, 0, 16, (BUF_PAGES - 1) * 4096ul), ERR_NOT_FOUND);
	check("the stub checks its pointer first", blk_read(&client, 0, 1, buf - 512),
	      ERR_BAD_ADDRESS);
	check("an older protocol version", raw(client.ep, BLK_READ, 4, old, 0, NULL),
	      ERR_NOT_IMPLEMENTED);
	check("no words at all", raw(client.ep, BLK_READ, 0, v, 0, NULL), ERR_TRUNCATED);
	check("a short read", raw(client.ep, BLK_READ, 3, v, 0, NULL), ERR_TRUNCATED);
	check("a long info", raw(client.ep, BLK_INFO, 2, v, 0, NULL), ERR_BAD_FORMAT);
	check("label 0", raw(client.ep, 0, 1, v, 0, NULL), ERR_INVALID_OPERATION);
	check("label 99", raw(client.ep, 99, 4, v, 0, NULL), ERR_INVALID_OPERATION);
	check("a read carrying a capability", raw(client.ep, BLK_READ, 4, v, 1, &frames[0]),
	      ERR_BAD_FORMAT);
	check("an attach without capabilities", raw(client.ep, BLK_ATTACH, 2, v, 0, NULL),
	      ERR_BAD_FORMAT);
	check("attach an endpoint as a page", raw(client.ep, BLK_ATTACH, 2, v, 1, &notframe),
	      ERR_INVALID_CAP);
	readonly = pool.next_slot++;
	check("make a read-only copy of a frame",
	      cnode_copy(BOOT_SLOT_CNODE, readonly, BOOT_SLOT_CNODE, frames[0], RIGHT_READ), ERR_OK);
	check("attach a read-only frame", raw(client.ep, BLK_ATTACH, 2, v, 1, &readonly),
	      ERR_NO_RIGHTS);
	check("attach past the biggest buffer", raw(client.ep, BLK_ATTACH, 2, attach_far, 2, frames),
	      ERR_RANGE);
	check("detach pages past the biggest buffer",
	      raw(client.ep, BLK_DETACH, 3, (const uint64_t[4]){ BLK_PROTO_VERSION, 1, ~0ul, 0 }, 0,
		  NULL), ERR_RANGE);
	check("make an unbadged endpoint cap", blkdrv_client_ep(&drv, &pool, 0, &ep0), ERR_OK);
	check("make a badge past the last client",
	      blkdrv_client_ep(&drv, &pool, BLK_MAX_CLIENTS + 1, &ep17), ERR_OK);
	check("a request without a badge", raw(ep0, BLK_INFO, 1, v, 0, NULL), ERR_NO_RIGHTS);
	check("a request with badge 17", raw(ep17, BLK_INFO, 1, v, 0, NULL), ERR_NO_RIGHTS);
	check("root's ping, from no badge", raw(ep0, SERVER_PING, 0, v, 0, NULL), ERR_OK);
	check("an injected fault, to a driver started without them",
	      raw(client.ep, SERVER_INJECT, 2, (const uint64_t[4]){ BLK_PROTO_VERSION,
								 FAULT_WILD_POINTER, 0, 0 }, 0, NULL),
	      ERR_NO_RIGHTS);
}

/* Take the driver's copy of a page away, behind the stub's back, and
 * detach everything: each time the stub gives the pages back. */
static void lose_pages(void)
{
	const uint64_t detach_all[4] = { BLK_PROTO_VERSION, 0, BUF_PAGES, 0 };

	check("revoke the driver's copy of page 2", cnode_revoke(BOOT_SLOT_CNODE, frames[2]), ERR_OK);
	check("the driver knows page 2 is gone", raw_transfer(BLK_READ, 0, 8, 2 * 4096), ERR_NOT_FOUND);
	check_eq("no bytes differ after the stub attached page 2 again",
		 round_trip(100, 8, 2 * 4096, 3 * 4096, "8 sectors through page 2"), 0);
	check_eq("the stub attached its buffer once more", client.reattaches, 1);
	check("detach the whole buffer", raw(client.ep, BLK_DETACH, 3, detach_all, 0, NULL), ERR_OK);
	check("nothing is attached", raw_transfer(BLK_READ, 0, 1, 0), ERR_NOT_FOUND);
	check("attach it again", blk_attach(&client, 0, BUF_PAGES), ERR_OK);
	check("the first page is back", raw_transfer(BLK_READ, 0, 1, 0), ERR_OK);
}

/* --- several clients at once --------------------------------------------- */

struct worker {
	struct blk_client c;
	cptr_t done;                 /* signals bit w of done_ntfn */
	cptr_t frames[WORKER_PAGES];
	uint8_t *buf;
	unsigned errors;             /* requests that failed */
	unsigned bad_bytes;          /* bytes read back wrong */
};

static struct worker workers[WORKERS];
static cptr_t done_ntfn;

/* Worker w owns sectors 4096 + w*256 ..+255: writes 128 of them at once,
 * reads them back 8 at a time at odd places of its buffer, and the other
 * way round, every round with new data. */
static void worker_main(uint64_t w)
{
	struct worker *me = &workers[w];
	uint64_t base = 4096 + w * 256;
	unsigned round, s;

	for (round = 0; round < WORKER_ROUNDS; round++) {
		uint64_t sector = base + (round % 2) * 128;

		blkpattern_fill(me->buf + 512, (unsigned)w + 1, round, sector, 128);
		me->errors += blk_write(&me->c, sector, 128, me->buf + 512) != ERR_OK;
		for (s = 0; s < 128; s += 8) {
			uint8_t *in = me->buf + 32 * 4096 - (s % 3) * 1536;

			memset(in, 0, 8 * BLK_SECTOR_SIZE);
			me->errors += blk_read(&me->c, sector + s, 8, in) != ERR_OK;
			me->bad_bytes += blkpattern_mismatches(in, (unsigned)w + 1, round, sector + s, 8);
		}
	}
	notify_signal(me->done);
}

static void several_clients(void)
{
	struct blk_info info;
	cptr_t tcbs[WORKERS], ep;
	unsigned w, errors = 0, bad = 0, done = 0;
	uint64_t bits;

	check("make the workers' notification", spawn_object(&pool, OBJ_NOTIFICATION, 0, &done_ntfn),
	      ERR_OK);
	for (w = 0; w < WORKERS; w++) {
		struct worker *me = &workers[w];
		int err = blkdrv_client_ep(&drv, &pool, 2 + w, &ep);

		me->done = pool.next_slot++;
		if (err == ERR_OK)
			err = cnode_mint(BOOT_SLOT_CNODE, me->done, BOOT_SLOT_CNODE, done_ntfn, RIGHT_WRITE,
					 1ul << w);
		if (err == ERR_OK)
			err = blkdrv_buffer(&pool, WORKER_PAGES, &me->buf, me->frames);
		if (err == ERR_OK)
			err = blk_connect(&me->c, ep, me->buf, me->frames, WORKER_PAGES);
		if (err == ERR_OK)
			err = playroot_thread(&pool, worker_main, w, PRIORITY_CLIENT, "blk_client", &tcbs[w]);
		check("set up a client thread", err, ERR_OK);
	}
	for (w = 0; w < WORKERS; w++)
		check("start it", tcb_resume(tcbs[w]), ERR_OK);
	/* Worker w signals bit w; a wait may bring several at once. */
	while (done != (1u << WORKERS) - 1 && notify_wait(done_ntfn, &bits) == ERR_OK)
		done |= (unsigned)bits;
	for (w = 0; w < WORKERS; w++) {
		errors += workers[w].errors;
		bad += workers[w].bad_bytes;
	}
	printf("test_blk: %u clients, %u rounds each: %u failed requests, %u bad bytes\n", WORKERS,
	       WORKER_ROUNDS, errors, bad);
	check_eq("every request of every client succeeded", errors, 0);
	check_eq("every byte read back is what was written", bad, 0);
	check("ask the driver how busy it was", blk_info(&client, &info), ERR_OK);
	printf("test_blk: the device held up to %u requests at once\n", info.peak_inflight);
	check_eq("it held several requests at once", info.peak_inflight > 1, 1);
}

int main(const struct bootinfo *bi)
{
	struct blk_info info;
	cptr_t fault_ep, ep;

	check("make a pool of objects", playroot_init(bi, &pool, 23), ERR_OK);
	check("make the fault endpoint", spawn_object(&pool, OBJ_ENDPOINT, 0, &fault_ep), ERR_OK);
	check("start the driver", blkdrv_init(&drv, &pool, fault_ep, 1, 0), ERR_OK);
	check("make client 1's endpoint", blkdrv_client_ep(&drv, &pool, 1, &ep), ERR_OK);
	check("make its buffer", blkdrv_buffer(&pool, BUF_PAGES, &buf, frames), ERR_OK);
	check("connect", blk_connect(&client, ep, buf, frames, BUF_PAGES), ERR_OK);
	check_eq("the disk has 8192 sectors", client.capacity, DISK_SECTORS);
	check_eq("a request moves up to 128 sectors", client.max_sectors, BLK_MAX_SECTORS);
	check_eq("the disk is writable", client.read_only, 0);

	memset(buf, 0xee, 4096);
	check("read sector 7 of the blank disk", blk_read(&client, 7, 1, buf), ERR_OK);
	check_eq("it is zeros", nonzero(buf, BLK_SECTOR_SIZE), 0);
	check_eq("1 sector reads back equal", round_trip(1, 1, 0, 4096, "1 sector"), 0);
	check_eq("8 sectors read back equal", round_trip(8, 8, 0, 8192, "8 sectors"), 0);
	check_eq("128 sectors read back equal",
		 round_trip(256, 128, 0, 20 * 4096, "128 sectors"), 0);
	check_eq("128 sectors across 17 pages read back equal",
		 round_trip(512, 128, 1536, 20 * 4096 + 512, "128 sectors at odd offsets"), 0);
	check_eq("sector 0 reads back equal", round_trip(0, 1, 0, 4096, "sector 0"), 0);
	check_eq("the last sector reads back equal",
		 round_trip(DISK_SECTORS - 1, 1, 0, 4096, "the last sector"), 0);
	check("flush", blk_flush(&client), ERR_OK);

	bad_requests();
	check_eq("after every bad request, 8 sectors still read back equal",
		 round_trip(16, 8, 4096, 3 * 4096, "8 sectors once more"), 0);
	lose_pages();
	several_clients();
	check("the driver still answers", blk_info(&client, &info), ERR_OK);
	check("stop the driver", blkdrv_stop(&drv), ERR_OK);
	return check_done();
}
