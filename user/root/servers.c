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
#include "fs_proto.h"
#include "proc_proto.h"
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
	{
		/* The Untyped is its buffer cache's memory; the disk is blk's. */
		.name = "fs", .priority = 190, .radix = FS_CNODE_RADIX, .pool_bits = 22,
		.grants = {
			{ .slot = FS_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
			{ .slot = FS_SLOT_VSPACE, .kind = GRANT_OWN_VSPACE },
			{ .slot = FS_SLOT_UNTYPED, .kind = GRANT_UNTYPED, .bits = FS_UNTYPED_BITS },
			{ .slot = FS_SLOT_ENDPOINT, .kind = GRANT_ENDPOINT },
			{ .slot = FS_SLOT_BLK, .kind = GRANT_CLIENT, .server = "blk" },
			{ .slot = FS_SLOT_FAULT, .kind = GRANT_FAULT },
		},
	},
	{
		/* Every process is made of its Untyped; the first program comes
		 * from the copy of the boot image, the rest from the fs. */
		.name = "proc", .priority = PROC_PRIORITY, .radix = PROC_CNODE_RADIX, .pool_bits = 25,
		.grants = {
			{ .slot = PROC_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
			{ .slot = PROC_SLOT_TCB, .kind = GRANT_OWN_TCB },
			{ .slot = PROC_SLOT_VSPACE, .kind = GRANT_OWN_VSPACE },
			{ .slot = PROC_SLOT_EP, .kind = GRANT_ENDPOINT_ALL },
			{ .slot = PROC_SLOT_CONSOLE, .kind = GRANT_CLIENT, .server = "uart" },
			{ .slot = PROC_SLOT_FS, .kind = GRANT_CLIENT, .server = "fs" },
			{ .slot = PROC_SLOT_SUPERVISOR, .kind = GRANT_FAULT },
			/* The copy first: the Untyped takes the upper half of the pool. */
			{ .slot = 0, .kind = GRANT_BOOTIMG, .vaddr = PROC_BOOTIMG_VADDR },
			{ .slot = PROC_SLOT_UNTYPED, .kind = GRANT_UNTYPED, .bits = PROC_UNTYPED_BITS },
		},
	},
};
const unsigned server_count = sizeof(server_table) / sizeof(server_table[0]);

const struct grant init_grants[] = {
	{ .slot = INIT_SLOT_CNODE, .kind = GRANT_OWN_CNODE },
	{ .slot = INIT_SLOT_CONSOLE, .kind = GRANT_CLIENT, .server = "uart" },
	{ .slot = INIT_SLOT_FAULT, .kind = GRANT_FAULT },
	{ .slot = INIT_SLOT_PROC, .kind = GRANT_CLIENT, .server = "proc" },
	{ .kind = GRANT_END },
};
