/*
 * procboot.c - the init program root starts by default: it asks the
 * process server (lib/proc_proto.h) to run xv6's init, and waits. The
 * answer comes when the system powers off (halt) or init ends; then
 * procboot exits, root sees its last init program gone, stops the
 * servers, and the machine powers off. With `initarg=1` the first
 * process is test/proc/bootbench.c instead, which measures the boot to the
 * shell's prompt for `make bench`.
 */
#include "errors.h"
#include "ipc.h"
#include "printf.h"
#include "proc_proto.h"
#include "root_proto.h"
#include "str.h"
#include "uart_proto.h"

int main(uint64_t index, uint64_t initarg)
{
	/* The path, which is argv[0] too: { "init" }. */
	const char *first = initarg == 1 ? "bootbench" : "init";
	size_t len = strlen(first) + 1;
	struct uart_client console;
	struct ipc_msg m = { .info = MSGINFO(PROC_BOOT, 0, 1 + (len + 7) / 8), .mr = { 0 } };
	int err;

	(void)index;
	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	proc_msg_put(&m, 1, first, len);
	err = ipc_call(INIT_SLOT_PROC, &m);
	if (err == ERR_OK)
		err = (int)MSGINFO_LABEL(m.info);
	if (err != ERR_OK) {
		printf("procboot: proc cannot run %s: %s\n", first, err_name(err));
		return 1;
	}
	return (int)m.mr[0];
}
