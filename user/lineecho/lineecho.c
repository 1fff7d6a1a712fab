/*
 * lineecho.c - what root starts on the console until there is a shell:
 * it says so, then reads lines through the console driver (lib/uart_proto.h)
 * and writes each one back, until the end of input (Ctrl-D at the start of
 * a line), when it exits and root powers the machine off.
 */
#include <stdbool.h>

#include "errors.h"
#include "printf.h"
#include "root_proto.h"
#include "uart_proto.h"

int main(void)
{
	struct uart_client console;
	char line[UART_LINE_MAX + 1];
	size_t len;
	bool eof = false;
	int err = ERR_OK;

	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	printf("lineecho: no shell yet; each line you type comes back. Ctrl-D ends the input "
	       "and powers off.\n");
	while (err == ERR_OK && !eof) {
		err = uart_write(&console, "> ", 2);
		if (err == ERR_OK)
			err = uart_read_line(&console, line, sizeof(line), &len, &eof);
		if (err == ERR_OK && !eof)
			printf("lineecho: %s%s", line, len > 0 && line[len - 1] == '\n' ? "" : "\n");
	}
	if (err != ERR_OK)
		printf("lineecho: the console says %s\n", err_name(err));
	else
		printf("lineecho: end of input\n");
	return err == ERR_OK ? 0 : 1;
}
