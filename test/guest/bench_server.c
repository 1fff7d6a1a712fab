/*
 * bench_server.c - the other thread of `make bench` (bench.c starts it).
 *
 * a0 says what to be:
 *  BENCH_ECHO: receive on the endpoint in slot 1 and answer every call with
 *   the same message, as a server loop does (reply_recv);
 *  BENCH_PAGER_CHILD: touch BENCH_PAGER_VADDR, which root keeps unmapping,
 *   then call the endpoint in slot 1 to hand control back; forever. Its
 *   fault endpoint (slot 2) leads to root, which maps the page.
 */
#include "bench_shared.h"
#include "ipc.h"

int main(uint64_t mode)
{
	struct ipc_msg m = { 0 };

	if (mode == BENCH_ECHO) {
		ipc_recv(1, &m);
		for (;;)
			ipc_reply_recv(1, &m);
	}
	for (;;) {
		(void)*(volatile uint64_t *)BENCH_PAGER_VADDR;
		m.info = 0;
		ipc_call(1, &m);
	}
}
