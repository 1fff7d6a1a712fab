/*
 * blk_client.c - the client stubs of the block driver's protocol
 * (blk_proto.h): each builds one request, calls the driver and decodes the
 * reply, whose label is the driver's error code.
 *
 * A driver can die and be restarted under a client at any moment. A
 * request it took with it comes back ERR_CANCELLED, and the new driver
 * knows none of the pages the old one was given (ERR_NOT_FOUND): both are
 * answered by sending the request again, after attaching the buffer again
 * for the second. The endpoint stays the same across restarts, so a call
 * made while no driver runs simply waits in its queue for the next one.
 */
#include "blk_proto.h"
#include "errors.h"
#include "ipc.h"
#include "root_proto.h"

/* One call to the driver: the request's label and words go out, the reply
 * comes back in *m; returns the kernel's error or, once delivered, the
 * driver's (the reply's label). */
static int blk_call(struct blk_client *c, unsigned label, unsigned words, unsigned ncaps,
		    struct ipc_msg *m)
{
	int err;

	m->info = MSGINFO(label, ncaps, words);
	m->mr[BLK_MR_VERSION] = BLK_PROTO_VERSION;
	err = ipc_call(c->ep, m);
	return err != ERR_OK ? err : (int)MSGINFO_LABEL(m->info);
}

int blk_info(struct blk_client *c, struct blk_info *info)
{
	struct ipc_msg m = { 0 };
	int err = blk_call(c, BLK_INFO, 1, 0, &m);

	if (err == ERR_OK && MSGINFO_LENGTH(m.info) < BLK_INFO_WORDS)
		err = ERR_TRUNCATED;
	if (err == ERR_OK)
		*info = (struct blk_info){ .capacity = m.mr[BLK_INFO_MR_CAPACITY],
					   .flags = m.mr[BLK_INFO_MR_FLAGS],
					   .max_sectors = (unsigned)m.mr[BLK_INFO_MR_MAX_SECTORS],
					   .max_pages = (unsigned)m.mr[BLK_INFO_MR_MAX_PAGES],
					   .peak_inflight = (unsigned)ipc_buffer()->mr[BLK_INFO_MR_PEAK] };
	return err;
}

int blk_attach(struct blk_client *c, unsigned first, unsigned count)
{
	struct ipc_buffer *ipcbuf = ipc_buffer();
	unsigned done, n, i;
	int err = first + count > c->pages ? ERR_RANGE : ERR_OK;

	for (done = 0; err == ERR_OK && done < count; done += n) {
		struct ipc_msg m = { 0 };

		n = count - done < MSG_MAX_CAPS ? count - done : MSG_MAX_CAPS;
		for (i = 0; i < n; i++)
			ipcbuf->caps[i] = c->frames[first + done + i];
		m.mr[BLK_MR_FIRST_PAGE] = first + done;
		err = blk_call(c, BLK_ATTACH, 2, n, &m);
	}
	return err;
}

int blk_connect(struct blk_client *c, cptr_t ep, void *buf, const cptr_t *frames,
		unsigned pages)
{
	struct blk_info info;
	int err;

	*c = (struct blk_client){ .ep = ep, .buf = buf, .frames = frames, .pages = pages };
	err = blk_info(c, &info);
	if (err == ERR_OK && pages > info.max_pages)
		err = ERR_RANGE;
	if (err != ERR_OK)
		return err;
	c->capacity = info.capacity;
	c->max_sectors = info.max_sectors;
	c->read_only = (info.flags & BLK_INFO_READ_ONLY) != 0;
	return blk_attach(c, 0, pages);
}

/* Send one request (label, words 1..3 in m) until it is not one a driver's
 * restart spoiled, at most BLK_CLIENT_RETRIES times over. */
static int blk_request(struct blk_client *c, unsigned label, unsigned words,
		       const struct ipc_msg *request)
{
	unsigned tries;
	int err = ERR_OK;

	for (tries = 0; tries <= BLK_CLIENT_RETRIES; tries++) {
		struct ipc_msg m = *request;

		if (tries > 0)
			__atomic_fetch_add(&c->retries, 1, __ATOMIC_RELAXED);
		err = blk_call(c, label, words, 0, &m);
		if (err == ERR_NOT_FOUND) {
			__atomic_fetch_add(&c->reattaches, 1, __ATOMIC_RELAXED);
			err = blk_attach(c, 0, c->pages);
			if (err == ERR_OK || err == ERR_CANCELLED)
				continue;
		}
		if (err != ERR_CANCELLED)
			break;
	}
	return err;
}

/* A transfer of count sectors at data: checked here against the buffer
 * first, so a bad pointer costs no message. */
static int blk_transfer(struct blk_client *c, unsigned label, uint64_t sector, unsigned count,
			const void *data)
{
	uint64_t offset = (uint64_t)((const uint8_t *)data - c->buf);
	struct ipc_msg m = { 0 };

	if ((const uint8_t *)data < c->buf || offset + (uint64_t)count * BLK_SECTOR_SIZE >
						      (uint64_t)c->pages * 4096)
		return ERR_BAD_ADDRESS;
	if (offset % BLK_SECTOR_SIZE != 0)
		return ERR_ALIGNMENT;
	m.mr[BLK_MR_SECTOR] = sector;
	m.mr[BLK_MR_COUNT] = count;
	m.mr[BLK_MR_OFFSET] = offset;
	return blk_request(c, label, 4, &m);
}

int blk_read(struct blk_client *c, uint64_t sector, unsigned count, void *data)
{
	return blk_transfer(c, BLK_READ, sector, count, data);
}

int blk_write(struct blk_client *c, uint64_t sector, unsigned count, const void *data)
{
	return blk_transfer(c, BLK_WRITE, sector, count, data);
}

int blk_flush(struct blk_client *c)
{
	struct ipc_msg m = { 0 };

	return blk_request(c, BLK_FLUSH, 1, &m);
}

int blk_inject(struct blk_client *c, unsigned kind)
{
	struct ipc_msg m = { 0 };

	m.mr[1] = kind;
	return blk_call(c, SERVER_INJECT, 2, 0, &m);
}
