/*
 * bench_restart.c - driver_restart for make bench: an init program
 * (tools/bench.py boots init=bench_restart inject=1) that makes the
 * console driver fault on a null pointer and then pings it, counting the
 * instructions from the fault request to the answer of the first request
 * the restarted driver serves: the fault, root hearing of it, revoking the
 * old driver, loading and starting the new one, and the request itself.
 * The cheapest of RESTARTS counts (a heartbeat tick makes one dearer).
 */
#include "bench_measure.h"
#include "errors.h"
#include "printf.h"
#include "root_proto.h"
#include "uart_proto.h"

#define RESTARTS 5

static struct uart_client console;

/* One restart: the fault request dies with the driver, the ping is
 * answered by the new one. */
static int restart_once(void)
{
	int err = uart_inject(&console, FAULT_NULL_POINTER);

	if (err != ERR_CANCELLED)
		return err == ERR_OK ? ERR_INVALID_OPERATION : err;
	return uart_ping(&console);
}

int main(void)
{
	uint64_t cost, total;
	int err;

	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	err = uart_ping(&console);
	if (err == ERR_OK)
		cost = bench_cheapest(restart_once, RESTARTS, &total, &err);
	if (err != ERR_OK) {
		printf("bench: FAIL driver_restart: %s\n", err_name(err));
		return 1;
	}
	printf("bench: driver_restart %lu.0\n", cost);
	printf("bench: (driver_restart: %lu on average)\n", total / RESTARTS);
	printf("bench: done\n");
	return 0;
}
