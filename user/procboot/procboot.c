/*
 * procboot.c - the init program root starts by default: it asks the
 * process server (lib/proc_proto.h) to run xv6's init, and waits. The
 * answer comes when the system powers off (halt) or init ends; then
 * procboot exits, root sees its last init program gone, stops the
 * servers, and the machine powers off.
 */
#include "errors.h"
#include "ipc.h"
#include "printf.h"
#include "proc_proto.h"
#include "root_proto.h"
#include "uart_proto.h"

int main(void)
{
	static const char first[] = "init";   /* "init\0": argv = { "init" } */
	struct uart_client console;
	struct ipc_msg m = { .info = MSGINFO(PROC_BOOT, 0, 1 + (sizeof(first) + 7) / 8), .mr = { 0 } };
	int err;

	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	proc_msg_put(&m, 1, first, sizeof(first));
	err = ipc_call(INIT_SLOT_PROC, &m);
	if (err == ERR_OK)
		err = (int)MSGINFO_LABEL(m.info);
	if (err != ERR_OK) {
		printf("procboot: proc cannot run %s: %s\n", first, err_name(err));
		return 1;
	}
	return (int)m.mr[0];
}
