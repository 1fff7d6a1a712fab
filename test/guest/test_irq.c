/*
 * test_irq.c - plays root and hears the UART's receive interrupt through a
 * notification: the shape of every Mica driver. Root finds the uart
 * DeviceUntyped in the boot info, makes a Frame of its registers and maps
 * it, claims the UART's interrupt line (IRQControl), binds a notification
 * to it and turns on the 16550's receive-data interrupt. Then it prompts,
 * and at each signal reads every byte the UART holds and acknowledges the
 * line, until a newline; it prints the line it got. Along the way: an
 * unbound handler has nothing to acknowledge, and a line has one handler.
 */
#define CHECK_NAME "test_irq"
#include <stdbool.h>

#include "check.h"
#include "ipc.h"
#include "playroot.h"
#include "str.h"
#include "sys.h"

/* 16550 registers (byte offsets) and bits. */
#define UART_RBR     0      /* receive buffer (read) */
#define UART_IER     1      /* interrupt enable */
#define UART_LSR     5      /* line status */
#define IER_RX_DATA  0x01
#define LSR_DATA     0x01

#define LINE_MAX 64

static struct spawn_pool pool;

/* The boot info's entry for the device called `name`, or NULL. */
static const struct bootinfo_untyped *find_device(const struct bootinfo *bi, const char *name,
						  cptr_t *slot)
{
	uint64_t i;

	for (i = 0; i < bi->untyped_count; i++) {
		if (bi->untyped[i].is_device && strcmp(bi->untyped[i].name, name) == 0) {
			*slot = bi->untyped_first + i;
			return &bi->untyped[i];
		}
	}
	return NULL;
}

/* Read every byte the UART holds into line[*len..]; true at a newline. */
static bool uart_drain(volatile uint8_t *uart, char *line, unsigned *len)
{
	bool done = false;

	while (uart[UART_LSR] & LSR_DATA) {
		char c = (char)uart[UART_RBR];

		if (c == '\n' || c == '\r')
			done = true;
		else if (!done && *len < LINE_MAX - 1)
			line[(*len)++] = c;
	}
	line[*len] = '\0';
	return done;
}

int main(const struct bootinfo *bi)
{
	const struct bootinfo_untyped *dev;
	volatile uint8_t *uart;
	char line[LINE_MAX];
	unsigned len = 0, signals = 0;
	uint64_t bits, page;
	cptr_t untyped = CPTR_NULL, frame, ntfn, handler, second;
	bool done = false;

	check("make a pool of objects", playroot_init(bi, &pool, 16), ERR_OK);
	dev = find_device(bi, "uart", &untyped);
	check_eq("the boot info has a uart", dev != NULL, 1);
	if (dev == NULL)
		return check_done();
	printf("test_irq: uart at %#lx, irq %u, slot %lu\n", dev->paddr, dev->irq, untyped);
	check_eq("it has an interrupt line", dev->irq != 0, 1);

	/* Its registers, mapped uncached like any device frame. */
	frame = pool.next_slot++;
	check("retype a Frame from the uart's DeviceUntyped",
	      untyped_retype(untyped, OBJ_FRAME, 0, BOOT_SLOT_CNODE, frame, 1), ERR_OK);
	page = playroot_page();
	check("map it", spawn_map(&pool, BOOT_SLOT_VSPACE, frame, page, MAP_READ | MAP_WRITE), ERR_OK);
	/* Without its registers nothing below can work; and a thread that dies
	 * with the line armed would leave the machine waiting for it forever. */
	if (check_failures)
		return check_done();
	uart = (volatile uint8_t *)page;

	/* The line: claimed once, bound, acknowledged. */
	check("make a notification", spawn_object(&pool, OBJ_NOTIFICATION, 0, &ntfn), ERR_OK);
	handler = pool.next_slot++;
	second = pool.next_slot++;
	check("claim the uart's line", irq_control_get(BOOT_SLOT_IRQ_CONTROL, dev->irq,
						       BOOT_SLOT_CNODE, handler), ERR_OK);
	check("claim it again", irq_control_get(BOOT_SLOT_IRQ_CONTROL, dev->irq, BOOT_SLOT_CNODE,
						second), ERR_IN_USE);
	check("acknowledge it before any notification is bound", irq_handler_ack(handler),
	      ERR_INVALID_OPERATION);
	check("bind the notification", irq_handler_set_notification(handler, ntfn), ERR_OK);
	uart_drain(uart, line, &len);       /* whatever came before the prompt */
	len = 0;
	uart[UART_IER] = IER_RX_DATA;

	printf("test_irq: type a line\n");
	while (!done) {
		if (notify_wait(ntfn, &bits) != ERR_OK)
			break;
		signals++;
		done = uart_drain(uart, line, &len);
		if (irq_handler_ack(handler) != ERR_OK)
			break;
	}
	uart[UART_IER] = 0;
	printf("test_irq: got \"%s\" after %u signals\n", line, signals);
	check_eq("the line ended with a newline", done, 1);
	check_eq("interrupts signalled the notification", signals > 0, 1);
	check_eq("with the unbadged bit", bits, 1);

	check("unbind the line", irq_handler_clear(handler), ERR_OK);
	check("acknowledge an unbound line", irq_handler_ack(handler), ERR_INVALID_OPERATION);
	check("delete the handler", cnode_delete(BOOT_SLOT_CNODE, handler), ERR_OK);
	check("now the line can be claimed again", irq_control_get(BOOT_SLOT_IRQ_CONTROL, dev->irq,
								   BOOT_SLOT_CNODE, second), ERR_OK);
	check("line 0 is no line", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 0, BOOT_SLOT_CNODE, handler),
	      ERR_INVALID_ARGUMENT);
	return check_done();
}
