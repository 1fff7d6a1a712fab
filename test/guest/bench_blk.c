/*
 * bench_blk.c - plays root for the block driver's figures of `make bench`
 * (tools/bench.py boots it as root=bench_blk with a blank disk): starts
 * user/blk (blkdrv.h), connects as its client and counts the instructions
 * of one 4 KiB read and one 4 KiB write, all the way: the client's stub,
 * the call, the driver's decoding and descriptor chain, the device's
 * interrupt, the driver's reply and the client's return.
 *
 * The device works beside the CPU, and now and then the host's timing
 * makes a request dearer (the kernel's idle loop has more to do while the
 * device works), so each of BLK_REQUESTS requests is counted on its own
 * and the figure is the cheapest (the count's own cost subtracted): the
 * same on every run, loaded host or not. The sector read holds data: a
 * hole in the disk's file reads back so fast that the device can finish
 * before the driver waits, a path no real disk takes. The mean is printed
 * beside the figure, for the reader. Output as bench.c's; at the end the
 * driver is taken away so the machine powers off.
 */
#include "bench_measure.h"
#include "blk_proto.h"
#include "errors.h"
#include "ipc.h"
#include "playroot.h"
#include "blkdrv.h"
#include "printf.h"
#include "str.h"

#define BLK_REQUESTS 2000
#define POOL_BITS   22      /* 4 MiB for the driver and the buffer */
#define BUF_PAGES   2
#define SECTOR      64      /* where the figures read and write */

static struct spawn_pool pool;
static struct blkdrv drv;
static struct blk_client client;
static cptr_t frames[BUF_PAGES];
static uint8_t *buf;

__attribute__((noinline)) static int bench_op_empty(void)
{
	return ERR_OK;
}

/* 8 sectors, one page of the shared buffer, one request. */
__attribute__((noinline)) static int bench_op_read_4k(void)
{
	return blk_read(&client, SECTOR, 8, buf);
}

__attribute__((noinline)) static int bench_op_write_4k(void)
{
	return blk_write(&client, SECTOR, 8, buf);
}

static const struct {
	const char *name;
	int (*op)(void);
} benches[] = {
	{ "blk_read_4k", bench_op_read_4k },
	{ "blk_write_4k", bench_op_write_4k },
};

/* The driver, a client of it with a two-page buffer. */
static int bench_setup(const struct bootinfo *bi)
{
	cptr_t fault_ep, ep;
	int err;

	if ((err = playroot_init(bi, &pool, POOL_BITS)) ||
	    (err = spawn_object(&pool, OBJ_ENDPOINT, 0, &fault_ep)) ||
	    (err = blkdrv_init(&drv, &pool, fault_ep, 1, BLK_ARG_QUIET)) ||
	    (err = blkdrv_client_ep(&drv, &pool, 1, &ep)) ||
	    (err = blkdrv_buffer(&pool, BUF_PAGES, &buf, frames)))
		return err;
	err = blk_connect(&client, ep, buf, frames, BUF_PAGES);
	/* Data where the figures read: a hole of the disk's file would read
	 * back faster than any sector could. */
	memset(buf, 0x5a, 8 * BLK_SECTOR_SIZE);
	return err == ERR_OK ? blk_write(&client, SECTOR, 8, buf) : err;
}

int main(const struct bootinfo *bi)
{
	uint64_t empty, cost, total, empty_total;
	unsigned i;
	int err = bench_setup(bi);

	if (err != ERR_OK) {
		printf("bench: FAIL start the block driver: %s\n", err_name(err));
		return 1;
	}
	empty = bench_cheapest(bench_op_empty, BLK_REQUESTS, &empty_total, &err);
	printf("bench: the cheapest of %u requests a figure\n", BLK_REQUESTS);
	for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		cost = bench_cheapest(benches[i].op, BLK_REQUESTS, &total, &err);
		if (err != ERR_OK) {
			printf("bench: FAIL %s: %s\n", benches[i].name, err_name(err));
			return 1;
		}
		printf("bench: %s %lu.0\n", benches[i].name, cost > empty ? cost - empty : 0);
		printf("bench: (%s: %lu on average)\n", benches[i].name,
		       (total - empty_total) / BLK_REQUESTS);
	}
	printf("bench: done\n");
	return blkdrv_stop(&drv) == ERR_OK ? 0 : 1;
}
