/*
 * servers.c - the table of servers root starts, in order, and what each
 * gets in its CSpace: the capabilities it needs and nothing else. A row
 * names slots from the server's lib/NAME_proto.h; root.c does the rest.
 *
 * Add a row for a new server (its program must be in the boot image);
 * a server that uses another gets a GRANT_CLIENT to it, and must come
 * after it in the table. Never give a server a capability its protocol
 * header does not declare.
 */
#include "blk_proto.h"
#include "root.h"
#include "root_proto.h"
#include "uart_proto.h"

const struct server_spec server_table[] = {
	{
		.name = "uart", .priority = 200, .radix = UART_CNODE_RADIX, .pool_bits = 17,
		.device = "uart",
		.grants = {
			{ .slot = UART_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
			{ .slot = UART_SLOT_TCB, .kind = GRANT_OWN_TCB },
			{ .slot = UART_SLOT_DEVICE, .kind = GRANT_DEVICE_FRAME, .vaddr = UART_DEVICE_VADDR },
			{ .slot = UART_SLOT_IRQ, .kind = GRANT_DEVICE_IRQ },
			{ .slot = UART_SLOT_NOTIFICATION, .kind = GRANT_NOTIFICATION },
			{ .slot = UART_SLOT_STATE, .kind = GRANT_STATE_FRAME, .vaddr = UART_STATE_VADDR },
			{ .slot = UART_SLOT_ENDPOINT, .kind = GRANT_ENDPOINT },
			{ .slot = UART_SLOT_FAULT, .kind = GRANT_FAULT },
		},
	},
	{
		/* The queue is a state frame: the same memory at every start,
		 * where a device not yet reset may still write. */
		.name = "blk", .priority = 200, .radix = BLK_CNODE_RADIX, .pool_bits = 19,
		.device = "virtio0",
		.grants = {
			{ .slot = BLK_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
			{ .slot = BLK_SLOT_VSPACE, .kind = GRANT_OWN_VSPACE },
			{ .slot = BLK_SLOT_TCB, .kind = GRANT_OWN_TCB },
			{ .slot = BLK_SLOT_UNTYPED, .kind = GRANT_UNTYPED, .bits = BLK_UNTYPED_BITS },
			{ .slot = BLK_SLOT_DEVICE, .kind = GRANT_DEVICE_FRAME },
			{ .slot = BLK_SLOT_IRQ, .kind = GRANT_DEVICE_IRQ },
			{ .slot = BLK_SLOT_NOTIFICATION, .kind = GRANT_NOTIFICATION },
			{ .slot = BLK_SLOT_QUEUE, .kind = GRANT_STATE_FRAME },
			{ .slot = BLK_SLOT_ENDPOINT, .kind = GRANT_ENDPOINT },
			{ .slot = BLK_SLOT_FAULT, .kind = GRANT_FAULT },
		},
	},
};
const unsigned server_count = sizeof(server_table) / sizeof(server_table[0]);

const struct grant init_grants[] = {
	{ .slot = INIT_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
	{ .slot = INIT_SLOT_CONSOLE, .kind = GRANT_CLIENT, .server = "uart" },
	{ .slot = INIT_SLOT_FAULT, .kind = GRANT_FAULT },
	{ .kind = GRANT_END },
};
