/*
 * test_reinc.c - the console's reincarnation workload (init=test_reinc
 * inject=1 initarg=N), run by tools/faults.py. Each of N rounds prints a
 * numbered prompt, makes the driver die (the next kind of enum
 * server_fault each round: null and wild pointers, an illegal
 * instruction, an endless loop, an exit) and reads the line the test types
 * while root restarts it. Every line must come exactly once and whole: a
 * lost line would show as the next one, a doubled one as the last again.
 * The closing line gives the counts tools/faults.py adds up.
 */
#include <stdbool.h>

#include "errors.h"
#include "fmt.h"
#include "printf.h"
#include "root_proto.h"
#include "str.h"
#include "uart_proto.h"

int main(uint64_t index, uint64_t rounds)
{
	static const char *const kinds[FAULT_KINDS] = { "null pointer", "wild pointer",
							"illegal instruction", "endless loop", "exit" };
	struct uart_client console;
	char line[UART_LINE_MAX + 1], want[64];
	unsigned long round, injected = 0, errors = 0;
	size_t len;
	bool eof;
	int err;

	(void)index;
	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	printf("test_reinc: %lu rounds\n", rounds);
	for (round = 1; round <= rounds; round++) {
		unsigned kind = (unsigned)((round - 1) % FAULT_KINDS);

		printf("test_reinc: round %lu: type line %lu (%s)\n", round, round, kinds[kind]);
		err = uart_inject(&console, kind);
		if (err == ERR_CANCELLED)
			injected++;       /* the driver died with the request */
		else
			printf("test_reinc: round %lu: the fault request got %s\n", round, err_name(err));
		fmt_snprint(want, sizeof(want), "line %lu of the test\n", round);
		err = uart_read_line(&console, line, sizeof(line), &len, &eof);
		if (err != ERR_OK || strcmp(line, want) != 0) {
			errors++;
			printf("test_reinc: round %lu: read %s \"%s\"\n", round, err_name(err),
			       err == ERR_OK ? line : "");
		}
	}
	printf("test_reinc: faults injected %lu, data errors %lu, requests sent again %lu\n",
	       injected, errors, console.retries);
	return injected == rounds && errors == 0 ? 0 : 1;
}
