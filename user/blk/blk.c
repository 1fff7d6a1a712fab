/*
 * blk.c - the virtio-blk driver: one receive loop that serves its clients
 * (lib/blk_proto.h) and its device's completion interrupts, told apart by
 * the MSGINFO_FLAG_NOTIFY of its bound notification (docs/drivers.md).
 *
 * Every request is decoded first: badge, version, label, length and
 * capabilities, then each argument, before anything changes; a bad one is
 * answered at once with its error. A transfer becomes a descriptor chain
 * in the virtqueue, and the caller's reply right is saved in a slot of
 * the request's in-flight entry until the device's interrupt says it is
 * done, so up to BLK_MAX_INFLIGHT requests are at the device at once.
 * The driver keeps nothing it cannot lose: after a restart clients attach
 * their buffers again and send again what was cancelled. With no disk in
 * its slot it still serves, a disk of 0 sectors, so clients hear why.
 */
#include <stddef.h>

#include "blk_proto.h"
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "printf.h"
#include "root_proto.h"
#include "spawn.h"
#include "virtio.h"

/* virtio-blk (virtio 1.1 §5.2). */
#define VIRTIO_ID_BLOCK     2
#define VIRTIO_BLK_F_RO     5        /* feature bit: the disk is read-only */
#define VIRTIO_BLK_F_FLUSH  9        /* feature bit: it has a write cache to flush */
#define VIRTIO_BLK_T_IN     0        /* request types: read... */
#define VIRTIO_BLK_T_OUT    1        /* ...write... */
#define VIRTIO_BLK_T_FLUSH  4        /* ...flush */
#define VIRTIO_BLK_S_OK     0        /* the status byte the device writes back */
#define VIRTIO_BLK_CONFIG_CAPACITY 0 /* config space: le64, in 512-byte sectors */

#define PAGE_SIZE 4096u

/* Where the driver maps its two pages: next to the IPC buffer, where
 * spawn_program() has made the page table already. */
#define BLK_VADDR_DEVICE (SPAWN_IPC + PAGE_SIZE)
#define BLK_VADDR_QUEUE  (SPAWN_IPC + 2 * PAGE_SIZE)

/* The driver's own slots, from BLK_SLOT_FIRST_FREE on. */
enum {
	SLOT_RECV = BLK_SLOT_FIRST_FREE,        /* attached caps land here */
	SLOT_POOL = SLOT_RECV + MSG_MAX_CAPS,   /* objects made from the Untyped */
	SLOT_REPLY = 32,                        /* the saved reply of in-flight entry i */
	SLOT_PAGES = SLOT_REPLY + BLK_MAX_INFLIGHT, /* client c's page p: below */
	SLOT_END = SLOT_PAGES + BLK_MAX_CLIENTS * BLK_MAX_PAGES,
};
_Static_assert(SLOT_END <= 1u << BLK_CNODE_RADIX, "the driver's slots fit its CNode");

static inline cptr_t blk_page_slot(unsigned client, unsigned page)
{
	return SLOT_PAGES + client * BLK_MAX_PAGES + page;
}

/* Each in-flight entry owns a run of descriptors and its own header and
 * status byte in the queue's page, so entries never share anything. */
#define DESC_PER_ENTRY (VIRTQ_SIZE / BLK_MAX_INFLIGHT)
#define MAX_PIECES     (BLK_MAX_SECTORS * BLK_SECTOR_SIZE / PAGE_SIZE + 1)
_Static_assert(MAX_PIECES + 2 <= DESC_PER_ENTRY, "a chain fits its entry's descriptors");

struct blk_dma_entry {
	uint32_t type;                  /* VIRTIO_BLK_T_*: the request header... */
	uint32_t reserved;
	uint64_t sector;                /* ...ends here (16 bytes) */
	uint8_t status;                 /* VIRTIO_BLK_S_*, written by the device */
	uint8_t pad[15];
};
_Static_assert(VIRTQ_PAGE_USED + BLK_MAX_INFLIGHT * sizeof(struct blk_dma_entry) <= PAGE_SIZE,
	       "the entries fit in the queue's page after the rings");

/* A request, decoded. */
struct blk_request {
	unsigned label;
	unsigned client;                /* badge - 1 */
	unsigned ncaps;                 /* caps that landed in SLOT_RECV.. */
	uint64_t sector;
	unsigned count;                 /* sectors, or pages for attach and detach */
	uint64_t offset;                /* byte offset in the client's buffer */
	unsigned first_page;
	uint64_t paddr[MAX_PIECES];     /* of each page the transfer touches */
	bool answered_later;            /* set once the reply is saved */
};

static struct {
	struct virtio_dev dev;
	struct spawn_pool pool;
	uint64_t capacity;              /* sectors */
	bool read_only, can_flush, inject_ok;
	bool no_disk;                   /* serving 0 sectors: no device to touch */
	struct blk_dma_entry *entries;  /* BLK_MAX_INFLIGHT of them, at entries_pa */
	uint64_t entries_pa;
	bool busy[BLK_MAX_INFLIGHT];
	unsigned nbusy;
	unsigned peak;                  /* the most nbusy has been */
} blk;

/* --- decoding: checks only, no side effects ---------------------------------- */

/* The pages a transfer touches must be attached: their paddrs go in r. */
static int blk_decode_pages(struct blk_request *r)
{
	uint64_t end = r->offset + (uint64_t)r->count * BLK_SECTOR_SIZE;
	unsigned first = (unsigned)(r->offset / PAGE_SIZE), last = (unsigned)((end - 1) / PAGE_SIZE);
	struct cap_info info;
	unsigned p;

	/* The driver's copy of a page goes when the client revokes its own,
	 * so each request looks again rather than trusting what it saw. */
	for (p = first; p <= last; p++) {
		if (cnode_describe(BLK_SLOT_CNODE, blk_page_slot(r->client, p), &info) != ERR_OK ||
		    info.type != OBJ_FRAME)
			return ERR_NOT_FOUND;
		r->paddr[p - first] = info.paddr;
	}
	r->first_page = first;
	return ERR_OK;
}

static int blk_decode_transfer(const struct ipc_msg *m, struct blk_request *r)
{
	r->sector = m->mr[BLK_MR_SECTOR];
	r->offset = m->mr[BLK_MR_OFFSET];
	if (m->mr[BLK_MR_COUNT] == 0 || m->mr[BLK_MR_COUNT] > BLK_MAX_SECTORS)
		return ERR_INVALID_ARGUMENT;
	r->count = (unsigned)m->mr[BLK_MR_COUNT];
	if (r->sector > blk.capacity || r->count > blk.capacity - r->sector)
		return ERR_RANGE;
	if (r->offset % BLK_SECTOR_SIZE != 0)
		return ERR_ALIGNMENT;
	if (r->offset > (uint64_t)BLK_MAX_PAGES * PAGE_SIZE - (uint64_t)r->count * BLK_SECTOR_SIZE)
		return ERR_BAD_ADDRESS;
	if (r->label == BLK_WRITE && blk.read_only)
		return ERR_NO_RIGHTS;
	return blk_decode_pages(r);
}

/* Pages first..first+count-1 of the buffer. */
static int blk_decode_pages_range(uint64_t first, uint64_t count, struct blk_request *r)
{
	if (first > BLK_MAX_PAGES || count > BLK_MAX_PAGES - first)
		return ERR_RANGE;
	r->first_page = (unsigned)first;
	r->count = (unsigned)count;
	return ERR_OK;
}

static int blk_decode_attach(const struct ipc_msg *m, struct blk_request *r)
{
	struct cap_info info;
	unsigned i;
	int err;

	if (r->ncaps == 0)
		return ERR_BAD_FORMAT;
	err = blk_decode_pages_range(m->mr[BLK_MR_FIRST_PAGE], r->ncaps, r);
	for (i = 0; err == ERR_OK && i < r->ncaps; i++) {
		err = cnode_describe(BLK_SLOT_CNODE, SLOT_RECV + i, &info);
		if (err == ERR_OK && info.type != OBJ_FRAME)    /* every Frame is 4 KiB */
			err = ERR_INVALID_CAP;
		/* The device will write into it: a frame the client may only
		 * read must not become one the disk writes. */
		if (err == ERR_OK && (info.rights & (RIGHT_READ | RIGHT_WRITE)) !=
					     (RIGHT_READ | RIGHT_WRITE))
			err = ERR_NO_RIGHTS;
	}
	return err;
}

static int blk_decode_detach(const struct ipc_msg *m, struct blk_request *r)
{
	return blk_decode_pages_range(m->mr[BLK_MR_FIRST_PAGE], m->mr[BLK_MR_PAGES], r);
}

/* --- serving: each may fill the reply's words, or save the reply ------------ */

static int blk_serve_info(struct blk_request *r, struct ipc_msg *reply)
{
	(void)r;
	reply->mr[BLK_INFO_MR_CAPACITY] = blk.capacity;
	reply->mr[BLK_INFO_MR_FLAGS] = blk.read_only ? BLK_INFO_READ_ONLY : 0;
	reply->mr[BLK_INFO_MR_MAX_SECTORS] = BLK_MAX_SECTORS;
	reply->mr[BLK_INFO_MR_MAX_PAGES] = BLK_MAX_PAGES;
	ipc_buffer()->mr[BLK_INFO_MR_PEAK] = blk.peak;     /* word 4 travels in the buffer */
	reply->info = MSGINFO(ERR_OK, 0, BLK_INFO_WORDS);
	return ERR_OK;
}

static int blk_serve_attach(struct blk_request *r, struct ipc_msg *reply)
{
	unsigned i;
	int err = ERR_OK;

	(void)reply;
	for (i = 0; err == ERR_OK && i < r->ncaps; i++) {
		cptr_t slot = blk_page_slot(r->client, r->first_page + i);

		err = cnode_delete(BLK_SLOT_CNODE, slot);
		if (err == ERR_OK)
			err = cnode_move(BLK_SLOT_CNODE, slot, BLK_SLOT_CNODE, SLOT_RECV + i);
	}
	return err;
}

static int blk_serve_detach(struct blk_request *r, struct ipc_msg *reply)
{
	unsigned i;
	int err = ERR_OK;

	(void)reply;
	for (i = 0; err == ERR_OK && i < r->count; i++)
		err = cnode_delete(BLK_SLOT_CNODE, blk_page_slot(r->client, r->first_page + i));
	return err;
}

/* Append the descriptor for [pa, pa+len) to the chain d[0..*n), or grow
 * the last one if the two are contiguous in memory. */
static void blk_chain_add(struct virtq_desc *d, unsigned *n, uint64_t pa, uint32_t len,
			  uint16_t flags)
{
	if (*n > 1 && d[*n - 1].addr + d[*n - 1].len == pa && d[*n - 1].flags == flags) {
		d[*n - 1].len += len;
		return;
	}
	d[*n] = (struct virtq_desc){ .addr = pa, .len = len, .flags = flags };
	(*n)++;
}

/* Give the device request r (VIRTIO_BLK_T_type) in a free entry: header,
 * the data pieces page by page, status. The reply waits in the entry's
 * slot until blk_complete() answers it. */
static int blk_start(struct blk_request *r, uint32_t type)
{
	unsigned e, n = 0, i;
	struct virtq_desc *d;
	uint64_t entry_pa, pos, end;
	uint16_t data_flags = VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
	int err;

	for (e = 0; blk.busy[e]; e++)
		;                       /* the loop receives only while one is free */
	d = &blk.dev.desc[e * DESC_PER_ENTRY];
	entry_pa = blk.entries_pa + e * sizeof(struct blk_dma_entry);
	blk.entries[e] = (struct blk_dma_entry){ .type = type, .sector = r->sector, .status = 0xff };
	blk_chain_add(d, &n, entry_pa, 16, VIRTQ_DESC_F_NEXT);
	end = r->offset + (uint64_t)r->count * BLK_SECTOR_SIZE;
	for (pos = r->offset; type != VIRTIO_BLK_T_FLUSH && pos < end;) {
		uint64_t in_page = pos % PAGE_SIZE;
		uint64_t len = end - pos < PAGE_SIZE - in_page ? end - pos : PAGE_SIZE - in_page;

		blk_chain_add(d, &n, r->paddr[pos / PAGE_SIZE - r->first_page] + in_page,
			      (uint32_t)len, data_flags);
		pos += len;
	}
	blk_chain_add(d, &n, entry_pa + offsetof(struct blk_dma_entry, status), 1,
		      VIRTQ_DESC_F_WRITE);
	/* LAB 7 BEGIN: link the chain d[0..n), keep the caller's reply in the entry's slot, mark the entry busy and give the chain to the device */
	/* LAB 7 HINT: a descriptor's next is an index into the whole table; blk_complete() answers SLOT_REPLY + e; virtq_submit() is yours too (virtio.c) */
	for (i = 0; i + 1 < n; i++)
		d[i].next = (uint16_t)(e * DESC_PER_ENTRY + i + 1);
	err = cnode_save_reply(BLK_SLOT_CNODE, SLOT_REPLY + e);
	if (err != ERR_OK)
		return err;
	r->answered_later = true;
	blk.busy[e] = true;
	if (++blk.nbusy > blk.peak)
		blk.peak = blk.nbusy;
	virtq_submit(&blk.dev, (uint16_t)(e * DESC_PER_ENTRY));
	return ERR_OK;
	/* LAB 7 STUB: (void)i; (void)err; */
	/* LAB 7 STUB: printf("lab 7: blk_start not implemented\n"); */
	/* LAB 7 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 7 END */
}

static int blk_serve_read(struct blk_request *r, struct ipc_msg *reply)
{
	(void)reply;
	return blk_start(r, VIRTIO_BLK_T_IN);
}

static int blk_serve_write(struct blk_request *r, struct ipc_msg *reply)
{
	(void)reply;
	return blk_start(r, VIRTIO_BLK_T_OUT);
}

/* A device without a write cache has every completed write on the disk
 * already: nothing to do. */
static int blk_serve_flush(struct blk_request *r, struct ipc_msg *reply)
{
	(void)reply;
	return blk.can_flush ? blk_start(r, VIRTIO_BLK_T_FLUSH) : ERR_OK;
}


/* The operations: words a request has (with the version), the most
 * capabilities it may carry, and its two halves. */
struct blk_op {
	unsigned words, max_caps;
	int (*decode)(const struct ipc_msg *m, struct blk_request *r);
	int (*serve)(struct blk_request *r, struct ipc_msg *reply);
};

static const struct blk_op blk_ops[] = {
	[BLK_INFO] = { 1, 0, NULL, blk_serve_info },
	[BLK_ATTACH] = { 2, MSG_MAX_CAPS, blk_decode_attach, blk_serve_attach },
	[BLK_READ] = { 4, 0, blk_decode_transfer, blk_serve_read },
	[BLK_WRITE] = { 4, 0, blk_decode_transfer, blk_serve_write },
	[BLK_FLUSH] = { 1, 0, NULL, blk_serve_flush },
	[BLK_DETACH] = { 3, 0, blk_decode_detach, blk_serve_detach },
};

/* Root's requests (root_proto.h), which come from any badge: a ping is
 * answered at once; an injected fault never returns. */
static int blk_serve_root(const struct ipc_msg *m)
{
	uint64_t words = MSGINFO_LENGTH(m->info);

	if (MSGINFO_LABEL(m->info) == SERVER_PING)
		return ERR_OK;
	if (!blk.inject_ok)
		return ERR_NO_RIGHTS;
	if (words < 2)
		return ERR_TRUNCATED;
	if (m->mr[0] != BLK_PROTO_VERSION)
		return ERR_NOT_IMPLEMENTED;
	if (m->mr[1] >= FAULT_KINDS)
		return ERR_INVALID_ARGUMENT;
	server_fault((unsigned)m->mr[1]);
}

/* Everything about m that does not depend on its label, then the label's
 * own checks. */
static int blk_decode(const struct ipc_msg *m, struct blk_request *r)
{
	uint64_t words = MSGINFO_LENGTH(m->info);
	const struct blk_op *op;

	*r = (struct blk_request){ .label = (unsigned)MSGINFO_LABEL(m->info),
				   .ncaps = (unsigned)MSGINFO_NCAPS(m->info) };
	if (m->badge == 0 || m->badge > BLK_MAX_CLIENTS)
		return ERR_NO_RIGHTS;
	r->client = (unsigned)m->badge - 1;
	if (words < 1)
		return ERR_TRUNCATED;
	if (m->mr[BLK_MR_VERSION] != BLK_PROTO_VERSION)
		return ERR_NOT_IMPLEMENTED;
	if (MSGINFO_LABEL(m->info) >= sizeof(blk_ops) / sizeof(blk_ops[0]) ||
	    blk_ops[r->label].serve == NULL)
		return ERR_INVALID_OPERATION;
	op = &blk_ops[r->label];
	if (words < op->words)
		return ERR_TRUNCATED;
	if (words > op->words || r->ncaps > op->max_caps || (m->info & MSGINFO_FLAG_CAPS_LOST))
		return ERR_BAD_FORMAT;
	return op->decode != NULL ? op->decode(m, r) : ERR_OK;
}

/* One client message: answered now, or saved for blk_complete(). Caps it
 * brought and that were not kept are deleted, so SLOT_RECV.. is empty for
 * the next. */
static void blk_serve(struct ipc_msg *m)
{
	struct blk_request r = { 0 };
	struct ipc_msg reply = { .info = MSGINFO(ERR_OK, 0, 0) };
	unsigned i;
	int err;

	if (MSGINFO_LABEL(m->info) == SERVER_PING || MSGINFO_LABEL(m->info) == SERVER_INJECT)
		err = blk_serve_root(m);
	else if ((err = blk_decode(m, &r)) == ERR_OK)
		err = blk_ops[r.label].serve(&r, &reply);
	for (i = 0; i < MSG_MAX_CAPS; i++)
		cnode_delete(BLK_SLOT_CNODE, SLOT_RECV + i);
	if (r.answered_later)
		return;
	if (err != ERR_OK)
		reply.info = MSGINFO(err, 0, 0);
	ipc_reply(&reply);
}

/* The device's interrupt: answer every request it has finished. */
static void blk_complete(void)
{
	/* LAB 7 BEGIN: answer each finished chain's caller with its status, through the reply saved in its entry, and free the entry */
	/* LAB 7 HINT: virtq_next_used() gives the head of each chain the device has used; a head that is not the start of a busy entry is not ours */
	int head;

	virtio_take_interrupt(&blk.dev);
	while ((head = virtq_next_used(&blk.dev)) >= 0) {
		unsigned e = (unsigned)head / DESC_PER_ENTRY;
		struct ipc_msg reply = { 0 };
		int err;

		if (head % DESC_PER_ENTRY != 0 || e >= BLK_MAX_INFLIGHT || !blk.busy[e])
			continue;       /* not a chain we gave it: nothing to answer */
		err = blk.entries[e].status == VIRTIO_BLK_S_OK ? ERR_OK : ERR_IO;
		reply.info = MSGINFO(err, 0, 0);
		/* The caller may have gone meanwhile, and its reply with it. */
		if (ipc_send(SLOT_REPLY + e, &reply) != ERR_OK)
			cnode_delete(BLK_SLOT_CNODE, SLOT_REPLY + e);
		blk.busy[e] = false;
		blk.nbusy--;
	}
	/* LAB 7 STUB: virtio_take_interrupt(&blk.dev); */
	/* LAB 7 STUB: printf("lab 7: blk_complete not implemented\n"); */
	/* LAB 7 END */
	irq_handler_ack(BLK_SLOT_IRQ);
}

/* --- starting ------------------------------------------------------------ */

/* Reset the device before anything else: until then it may still write
 * into the queue's page for the last driver. Then make the queue there and
 * start the device. A slot with no modern virtio-blk device in it leaves
 * the driver serving a disk of 0 sectors. */
static int blk_init(uint64_t flags)
{
	uint8_t *queue = (uint8_t *)BLK_VADDR_QUEUE;
	uint64_t queue_pa;
	int err;

	blk.inject_ok = (flags & SERVER_ARG_INJECT) != 0;
	blk.pool = (struct spawn_pool){ .cnode = BLK_SLOT_CNODE, .untyped = BLK_SLOT_UNTYPED,
					.next_slot = SLOT_POOL, .end_slot = SLOT_REPLY,
					.self_vspace = BLK_SLOT_VSPACE };
	err = spawn_map(&blk.pool, BLK_SLOT_VSPACE, BLK_SLOT_DEVICE, BLK_VADDR_DEVICE,
			MAP_READ | MAP_WRITE);
	if (err == ERR_OK)
		err = virtio_reset(&blk.dev, (volatile void *)BLK_VADDR_DEVICE, VIRTIO_ID_BLOCK);
	if (err == ERR_NOT_FOUND || err == ERR_NOT_IMPLEMENTED) {
		printf("blk: no %s in virtio slot 0: serving a disk of 0 sectors\n",
		       err == ERR_NOT_FOUND ? "virtio-blk device" :
		       "modern virtio device (QEMU needs -global virtio-mmio.force-legacy=false)");
		blk.no_disk = true;
		return ERR_OK;
	}
	if ((err != ERR_OK) ||
	    (err = spawn_map(&blk.pool, BLK_SLOT_VSPACE, BLK_SLOT_QUEUE, BLK_VADDR_QUEUE,
			     MAP_READ | MAP_WRITE)) ||
	    (err = frame_paddr(BLK_SLOT_QUEUE, &queue_pa)) ||
	    (err = tcb_bind_notification(BLK_SLOT_TCB, BLK_SLOT_NOTIFICATION)) ||
	    (err = irq_handler_set_notification(BLK_SLOT_IRQ, BLK_SLOT_NOTIFICATION)) ||
	    (err = virtio_start(&blk.dev, 1ul << VIRTIO_BLK_F_RO | 1ul << VIRTIO_BLK_F_FLUSH, queue,
				queue_pa)))
		return err;
	blk.entries = (struct blk_dma_entry *)(queue + VIRTQ_PAGE_USED);
	blk.entries_pa = queue_pa + VIRTQ_PAGE_USED;
	blk.capacity = virtio_config64(&blk.dev, VIRTIO_BLK_CONFIG_CAPACITY);
	blk.read_only = (blk.dev.features & 1ul << VIRTIO_BLK_F_RO) != 0;
	blk.can_flush = (blk.dev.features & 1ul << VIRTIO_BLK_F_FLUSH) != 0;
	return ERR_OK;
}

int main(uint64_t flags)
{
	struct ipc_buffer *ipcbuf = ipc_buffer();
	struct ipc_msg m;
	uint64_t bits;
	int err = blk_init(flags);

	if (err != ERR_OK) {
		printf("blk: cannot start the disk: %s\n", err_name(err));
		return 1;
	}
	if (!(flags & BLK_ARG_QUIET) && !blk.no_disk)
		printf("blk: virtio-blk disk of %lu sectors (%lu KiB)%s, %u requests at a time\n",
		       blk.capacity, blk.capacity / 2, blk.read_only ? ", read-only" : "",
		       BLK_MAX_INFLIGHT);
	ipcbuf->recv_cnode = BLK_SLOT_CNODE;
	ipcbuf->recv_slot = SLOT_RECV;
	for (;;) {
		/* With every entry busy, only the device can make progress:
		 * clients wait in the endpoint's queue meanwhile. */
		if (blk.nbusy == BLK_MAX_INFLIGHT) {
			if (notify_wait(BLK_SLOT_NOTIFICATION, &bits) == ERR_OK)
				blk_complete();
			continue;
		}
		if (ipc_recv(BLK_SLOT_ENDPOINT, &m) != ERR_OK)
			continue;
		if (m.info & MSGINFO_FLAG_NOTIFY)
			blk_complete();
		else if (!(m.info & MSGINFO_FLAG_FAULT))
			blk_serve(&m);
	}
}
