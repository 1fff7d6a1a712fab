/*
 * test_conwrite.c - one of several writers on the console at once
 * (init=test_conwrite,test_conwrite,...: a0 is which one). Each writes its
 * lines in pieces, yielding between them, so the writers take turns in
 * the middle of each other's lines; the client stubs must still hand the
 * driver whole lines, and the case checks that every line came out whole.
 */
#include "errors.h"
#include "fmt.h"
#include "printf.h"
#include "root_proto.h"
#include "str.h"
#include "sys.h"
#include "uart_proto.h"

#define LINES 30

int main(uint64_t index)
{
	static const char *const pieces[] = { "alpha ", "bravo ", "charlie ", "delta ", "echo " };
	struct uart_client console;
	char head[48];
	unsigned line, p;
	int err = ERR_OK;

	uart_client_init(&console, INIT_SLOT_CONSOLE);
	for (line = 1; line <= LINES && err == ERR_OK; line++) {
		int n = fmt_snprint(head, sizeof(head), "test_conwrite %lu: line %u of %u: ", index,
				    line, LINES);

		err = uart_write(&console, head, (size_t)n);
		for (p = 0; p < sizeof(pieces) / sizeof(pieces[0]) && err == ERR_OK; p++) {
			yield();
			err = uart_write(&console, pieces[p], strlen(pieces[p]));
		}
		yield();
		if (err == ERR_OK)
			err = uart_write(&console, "end\n", 4);
	}
	uart_printf_to(&console);
	printf("test_conwrite %lu: %s\n", index, err == ERR_OK ? "done" : err_name(err));
	return err == ERR_OK ? 0 : 1;
}
