/*
 * blk_proto.h - the block driver's protocol (user/blk/, docs/drivers.md):
 * message labels and formats, the driver's CSpace, and the client stubs
 * (lib/blk_client.c).
 *
 * A client shares a buffer of whole frames with the driver (BLK_ATTACH)
 * and then asks it to move sectors between the disk and that buffer
 * (BLK_READ, BLK_WRITE): the device reads and writes the frames directly
 * (DMA), so no data ever travels in a message. Every request is an
 * ipc_call whose word 0 is BLK_PROTO_VERSION; the reply's label is an error
 * code (errors.h), and a request the driver cannot serve as asked gets an
 * error, never a crash. Clients are told apart by the badge of their
 * endpoint capability, which their supervisor mints: 1..BLK_MAX_CLIENTS.
 * The driver also answers root's SERVER_PING and SERVER_INJECT
 * (root_proto.h), from any badge.
 * A client must never revoke or reuse a frame while a request that names
 * it is in flight: the device writes where the request said, whatever the
 * memory has become since (nothing but an IOMMU could stop it).
 */
#ifndef MICA_BLK_PROTO_H
#define MICA_BLK_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

/* "BLK" and the version: a client of another version, or one that talks
 * to the wrong server, is refused with ERR_NOT_IMPLEMENTED. */
#define BLK_PROTO_VERSION 0x424c4b0001ul

#define BLK_SECTOR_SIZE  512u
#define BLK_MAX_SECTORS  128u      /* one request moves at most 64 KiB */
#define BLK_MAX_PAGES    128u      /* frames in one client's buffer (512 KiB) */
#define BLK_MAX_CLIENTS  16u       /* badges 1..16 */
#define BLK_MAX_INFLIGHT 6u        /* requests the device holds at once */

/*
 * The messages. Words are message words; every request starts with
 * BLK_PROTO_VERSION, and all but the last word of BLK_INFO's reply (in
 * the IPC buffer) travel in registers. A reply's label is the error
 * code; its words follow only when that is ERR_OK.
 *
 *  label           request words                   caps    reply words
 *  BLK_INFO        version                         0       capacity (sectors), BLK_INFO_* flags,
 *                                                          max sectors a request, max pages,
 *                                                          most requests at the device at once
 *  BLK_ATTACH      version, first page             1..3    -
 *  BLK_READ        version, sector, count, offset  0       -
 *  BLK_WRITE       version, sector, count, offset  0       -
 *  BLK_FLUSH       version                         0       -
 *  BLK_DETACH      version, first page, count      0       -
 *
 * BLK_ATTACH makes the frames pages first.. of the caller's buffer, in
 * order, replacing whatever was there (so attaching again is harmless).
 * Each must be a Frame with read and write rights. BLK_DETACH lets the
 * driver forget pages. BLK_READ copies `count` sectors from `sector` on
 * into the buffer at byte `offset`, BLK_WRITE the other way; offset is a
 * multiple of BLK_SECTOR_SIZE and the transfer lies within attached pages.
 * BLK_FLUSH returns once every write completed before it is on stable
 * storage.
 */
enum blk_label {
	BLK_INFO = 1,
	BLK_ATTACH,
	BLK_READ,
	BLK_WRITE,
	BLK_FLUSH,
	BLK_DETACH,
};

/* Word indexes of a request. */
enum { BLK_MR_VERSION, BLK_MR_SECTOR, BLK_MR_COUNT, BLK_MR_OFFSET };
enum { BLK_MR_FIRST_PAGE = 1, BLK_MR_PAGES };
/* Word indexes of BLK_INFO's reply. */
enum { BLK_INFO_MR_CAPACITY, BLK_INFO_MR_FLAGS, BLK_INFO_MR_MAX_SECTORS, BLK_INFO_MR_MAX_PAGES,
       BLK_INFO_MR_PEAK, BLK_INFO_WORDS };
#define BLK_INFO_READ_ONLY 1ul      /* the disk refuses writes (ERR_NO_RIGHTS) */

/*
 * The errors a request can get back (besides what ipc_call itself returns):
 *  ERR_NOT_IMPLEMENTED    word 0 is not BLK_PROTO_VERSION
 *  ERR_INVALID_OPERATION  no such label
 *  ERR_TRUNCATED          fewer words than the label takes
 *  ERR_BAD_FORMAT         more words, or capabilities the label does not take, or
 *                         attached capabilities that did not arrive
 *  ERR_NO_RIGHTS          the badge is not a client's (0 or over BLK_MAX_CLIENTS); a
 *                         write to a read-only disk; a frame without read and write
 *                         rights
 *  ERR_INVALID_CAP        an attached capability is not a Frame
 *  ERR_INVALID_ARGUMENT   count is 0 or over BLK_MAX_SECTORS
 *  ERR_RANGE              sectors past the end of the disk (a driver with no disk
 *                         serves one of 0 sectors); pages past BLK_MAX_PAGES
 *  ERR_ALIGNMENT          offset is not a multiple of BLK_SECTOR_SIZE
 *  ERR_BAD_ADDRESS        the transfer reaches past BLK_MAX_PAGES pages
 *  ERR_NOT_FOUND          the transfer reaches a page that is not attached (a restarted
 *                         driver has forgotten every page: attach again)
 *  ERR_IO                 the device reported an error
 * and a request the driver took but could not finish before it died wakes
 * its caller with ERR_CANCELLED.
 */

/*
 * The driver's CSpace, as its supervisor fills it before it starts (a0 is
 * the SERVER_ARG_* and BLK_ARG_* flags); every other slot is empty. The
 * driver needs nothing else.
 */
enum blk_slot {
	BLK_SLOT_CNODE = 1,    /* its own CNode (radix BLK_CNODE_RADIX) */
	BLK_SLOT_VSPACE,       /* its own VSpace, to map the device and the queue */
	BLK_SLOT_TCB,          /* its own TCB, to bind its notification */
	BLK_SLOT_UNTYPED,      /* 2^BLK_UNTYPED_BITS bytes for page tables */
	BLK_SLOT_DEVICE,       /* a Frame of the virtio-mmio registers */
	BLK_SLOT_IRQ,          /* the IRQHandler of the device's line */
	BLK_SLOT_NOTIFICATION, /* for the interrupt (read and write rights) */
	BLK_SLOT_QUEUE,        /* a Frame for the virtqueue: the same one at every start,
				* used for nothing else, because the device may still write
				* into it until the next driver has reset it */
	BLK_SLOT_ENDPOINT,     /* where clients call (read right) */
	BLK_SLOT_FAULT,        /* the supervisor's fault endpoint (the TCB's) */
	BLK_SLOT_FIRST_FREE,   /* the driver's own from here */
};
#define BLK_CNODE_RADIX   12       /* 4096 slots: every client's pages fit */
#define BLK_UNTYPED_BITS  14       /* 16 KiB */

/* Flags in a0 at the driver's start, beside root_proto.h's SERVER_ARG_*. */
#define BLK_ARG_QUIET     2ul      /* print nothing but errors */

/*
 * The client side (lib/blk_client.c). A struct blk_client is one client
 * of the driver: its endpoint capability and its buffer, `pages` frames
 * mapped contiguously at `buf`, whose caps are frames[0..pages-1] (the
 * array must outlive the client). Threads of one program may share one:
 * the stubs keep no state between calls but the figures at the end.
 *
 * Every stub returns an error code. A request is retried when the driver
 * died with it (ERR_CANCELLED) or was restarted since the buffer was
 * attached (ERR_NOT_FOUND: the stub attaches it again), at most
 * BLK_CLIENT_RETRIES times in a row: reads, writes and flushes of the same
 * data are idempotent, so a retry is always safe.
 */
#define BLK_CLIENT_RETRIES 16

struct blk_client {
	cptr_t ep;                  /* the driver's endpoint, badged for this client */
	uint8_t *buf;               /* the shared buffer... */
	const cptr_t *frames;       /* ...its frames, page by page... */
	unsigned pages;             /* ...and how many */
	uint64_t capacity;          /* from blk_connect: sectors on the disk */
	unsigned max_sectors;       /* from blk_connect: the most one request moves */
	bool read_only;             /* from blk_connect */
	unsigned long retries;      /* requests sent again, so far (atomic) */
	unsigned long reattaches;   /* times the buffer was attached again (atomic) */
};

struct blk_info {
	uint64_t capacity;          /* sectors */
	uint64_t flags;             /* BLK_INFO_* */
	unsigned max_sectors;
	unsigned max_pages;
	unsigned peak_inflight;     /* the most requests the device held at once, so far */
};

/* Ask the driver about its disk (BLK_INFO) and attach the buffer. On
 * failure *c is not usable. */
int blk_connect(struct blk_client *c, cptr_t ep, void *buf, const cptr_t *frames,
		unsigned pages);
/* BLK_INFO alone: what the driver says about its disk. */
int blk_info(struct blk_client *c, struct blk_info *info);
/* Move count sectors (at most c->max_sectors) between sector.. of the
 * disk and data, which must lie in the buffer at a multiple of
 * BLK_SECTOR_SIZE from its start (else ERR_BAD_ADDRESS or ERR_ALIGNMENT,
 * without a message). */
int blk_read(struct blk_client *c, uint64_t sector, unsigned count, void *data);
int blk_write(struct blk_client *c, uint64_t sector, unsigned count, const void *data);
/* Every write that has completed is on stable storage when this returns. */
int blk_flush(struct blk_client *c);
/* Attach pages first..first+count-1 of the buffer again (blk_connect does
 * all of them; the retry path calls this). */
int blk_attach(struct blk_client *c, unsigned first, unsigned count);
/* For restart tests: ask the driver to make fault `kind` (root_proto.h's
 * enum server_fault). Never sent again: ERR_CANCELLED says the driver died
 * with it, as asked; ERR_NO_RIGHTS that it was started without injection. */
int blk_inject(struct blk_client *c, unsigned kind);

#endif /* MICA_BLK_PROTO_H */
