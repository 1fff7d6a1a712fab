/*
 * main.c - the process server's start and its one receive loop.
 *
 * proc is started with the capabilities of lib/proc_proto.h in its CSpace
 * and a0 = its struct proc_config. It cuts its memory into the page pool,
 * starts the first process and then only answers messages: requests from
 * processes (badge: the process), their faults (badge with
 * PROC_BADGE_FAULT) and its timer (bound notification). A request from
 * anyone else gets an error; proc never blocks on a client.
 */
#include "proc.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"

/* The process a badge names, if it is alive. */
static struct proc *main_sender(uint64_t badge)
{
	uint64_t i = (badge & 0xffff) - 1;

	if ((badge & 0xffff) == 0 || i >= NPROC)
		return NULL;
	return procs[i].state == P_RUNNING ? &procs[i] : NULL;
}

static int main_init(void)
{
	uint16_t page;
	int err = mem_init();

	if (err == ERR_OK)
		err = file_init();
	if (err == ERR_OK)
		err = page_get(&page);
	if (err == ERR_OK)
		err = untyped_retype(SLOT_PAGE_UT + page, OBJ_NOTIFICATION, 0, PROC_SLOT_CNODE, SLOT_NTFN, 1);
	if (err == ERR_OK)
		err = tcb_bind_notification(PROC_SLOT_TCB, SLOT_NTFN);
	if (err == ERR_OK)
		err = proc_start_init();
	return err;
}

int main(const struct proc_config *config)
{
	struct ipc_msg m = { 0 };
	bool reply = false;
	int err;

	proc_config = config;
	if (config == NULL || config->magic != PROC_CONFIG_MAGIC) {
		printf("proc: no configuration at %p\n", (const void *)config);
		return 1;
	}
	err = main_init();
	if (err != ERR_OK) {
		printf("proc: cannot start %s: %s\n", config->init, err_name(err));
		return 1;
	}
	for (;;) {
		struct proc *p;

		err = reply ? ipc_reply_recv(PROC_SLOT_EP, &m) : ipc_recv(PROC_SLOT_EP, &m);
		reply = false;
		if (err != ERR_OK)
			continue;
		if (MSGINFO_FLAGS(m.info) & MSGINFO_FLAG_NOTIFY) {
			proc_timer();
			continue;
		}
		reply = true;
		p = main_sender(m.badge);
		if (p == NULL)
			msg_result(&m, -1, 1);
		else if (m.badge & PROC_BADGE_FAULT)
			proc_fault(p, &m, &reply);
		else
			proc_request(p, &m, &reply);
	}
}
