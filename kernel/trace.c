/*
 * trace.c - the IPC trace buffer, linked only into the kernel of `make
 * trace` (kernel/trace.h). Each delivered message is one event; when the
 * buffer is full, later events are counted, not kept. trace_dump() prints
 * the events as "trace: instret src-id src-name dst-id dst-name label badge"
 * lines for tools/trace.py, which writes Chrome/Perfetto trace JSON.
 * A thread's id is its TCB's address: the names are copied at the event,
 * because a thread may be gone by the time the trace is printed.
 */
#include "trace.h"
#include "msg.h"
#include "printk.h"
#include "str.h"

#define TRACE_EVENTS 4096
#define TRACE_FAULT_LABEL (~0ul)        /* a fault message has no label */

struct trace_event {
	uint64_t instret, label, badge;
	const struct thread *src, *dst;
	char src_name[THREAD_NAME_MAX], dst_name[THREAD_NAME_MAX];
};

static struct trace_event events[TRACE_EVENTS];
static uint64_t nevents, dropped;

void trace_ipc(const struct thread *src, const struct thread *dst, uint64_t badge)
{
	struct trace_event *e;

	if (nevents == TRACE_EVENTS) {
		dropped++;
		return;
	}
	e = &events[nevents++];
	*e = (struct trace_event){ arch_instret(), src->in_fault ? TRACE_FAULT_LABEL :
				   MSGINFO_LABEL(src->regs.x[REG_A1]), badge, src, dst, "", "" };
	str_copy(e->src_name, src->name[0] ? src->name : "-", THREAD_NAME_MAX);
	str_copy(e->dst_name, dst->name[0] ? dst->name : "-", THREAD_NAME_MAX);
}

void trace_dump(void)
{
	uint64_t i;

	kprintf("trace: begin %lu events, %lu dropped\n", nevents, dropped);
	for (i = 0; i < nevents; i++)
		kprintf("trace: %lu %lx %s %lx %s %lx %lx\n", events[i].instret,
			(uint64_t)events[i].src, events[i].src_name, (uint64_t)events[i].dst,
			events[i].dst_name, events[i].label, events[i].badge);
	kprintf("trace: end\n");
}
