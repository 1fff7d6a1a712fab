/*
 * objects.h - the kernel's object types, capability rights and invocations:
 * the one table that kernel and user space both read (docs/capabilities.md).
 *
 * An invocation is a `call` on a capability with the operation in the
 * message label and its arguments in the message registers. INVOCATION_TABLE
 * gives each one its label, the object type it applies to, how many
 * argument words it takes and the rights it needs on the invoked capability.
 * The kernel decodes by this table (kernel/invoke.c refuses a short message or
 * a missing right before any object code runs) and the user stubs in
 * lib/invoke.c are checked against it at compile time. Never renumber a row:
 * user binaries depend on the numbers.
 */
#ifndef MICA_OBJECTS_H
#define MICA_OBJECTS_H

#include <stdint.h>

/* A capability address: a slot index in the calling thread's CSpace (one
 * level: the CSpace is a single CNode). Slot 0 is never used, so 0 means
 * "no capability" in every argument that takes one. */
typedef uint64_t cptr_t;
#define CPTR_NULL 0

/* Object types, as they appear in capabilities and in retype requests. */
#define OBJ_TYPE_TABLE(X)                                                       \
	X(OBJ_NULL,          0, "empty")                                        \
	X(OBJ_UNTYPED,       1, "Untyped")                                      \
	X(OBJ_CNODE,         2, "CNode")                                        \
	X(OBJ_TCB,           3, "TCB")                                          \
	X(OBJ_ENDPOINT,      4, "Endpoint")                                     \
	X(OBJ_NOTIFICATION,  5, "Notification")                                 \
	X(OBJ_FRAME,         6, "Frame")                                        \
	X(OBJ_PAGE_TABLE,    7, "PageTable")                                    \
	X(OBJ_VSPACE,        8, "VSpace")                                       \
	X(OBJ_IRQ_CONTROL,   9, "IRQControl")                                   \
	X(OBJ_IRQ_HANDLER,  10, "IRQHandler")                                   \
	X(OBJ_REPLY,        11, "Reply")       /* a saved one-shot reply right */

enum obj_type {
#define OBJ_TYPE_ENUM_ENTRY(name, number, text) name = number,
	OBJ_TYPE_TABLE(OBJ_TYPE_ENUM_ENTRY)
#undef OBJ_TYPE_ENUM_ENTRY
	OBJ_TYPE_COUNT
};

/* Sizes (log2 of bytes) of the objects retype makes. A CNode of 2^n slots
 * takes 2^(n + CNODE_SLOT_BITS) bytes; an Untyped takes whatever size it is
 * given. Every object is aligned to its own size. */
#define TCB_SIZE_BITS          10
#define ENDPOINT_SIZE_BITS      5
#define NOTIFICATION_SIZE_BITS  6
#define FRAME_SIZE_BITS        12
#define PAGE_TABLE_SIZE_BITS   12
#define VSPACE_SIZE_BITS       12
#define CNODE_SLOT_BITS         6     /* one slot is 64 bytes */
#define CNODE_MIN_RADIX         1
#define CNODE_MAX_RADIX        16
#define UNTYPED_MIN_BITS        5
#define UNTYPED_MAX_BITS       38
/* The most objects one retype makes (seL4's fan-out limit): a retype runs
 * with interrupts off, so its length must stay bounded. */
#define RETYPE_MAX_COUNT      256

/* Rights on a capability. Mint and copy can only take rights away. */
#define RIGHT_READ   1u
#define RIGHT_WRITE  2u
#define RIGHT_GRANT  4u      /* may pass capabilities along in a message */
/* On an Endpoint: send and call need WRITE, receive needs READ, sending
 * capabilities needs GRANT too. On a Notification: signal needs WRITE,
 * wait and poll need READ. */
#define RIGHTS_ALL   (RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT)

/* Rights of a page mapping (frame_map). Any mapping needs the frame
 * capability's read right (Sv39 has no write-only pages); writable needs
 * its write right too. */
#define MAP_READ     1u
#define MAP_WRITE    2u
#define MAP_EXEC     4u

/* Priorities run from 0 (lowest) to PRIORITY_MAX. */
#define PRIORITY_MAX 255

/*
 * The invocations, with the rights each needs on the invoked capability
 * (kernel/invoke.c checks them before any object code runs).
 *  NAME                        label  object            args  rights        arguments (after the invoked capability)
 */
#define INVOCATION_TABLE(X) \
	X(UNTYPED_RETYPE,                1, OBJ_UNTYPED,       5, RIGHT_WRITE) /* type, size_bits, cnode, first slot, count */ \
	X(CNODE_COPY,                   10, OBJ_CNODE,         4, RIGHT_WRITE) /* slot, src cnode, src slot, rights */ \
	X(CNODE_MINT,                   11, OBJ_CNODE,         5, RIGHT_WRITE) /* slot, src cnode, src slot, rights, badge */ \
	X(CNODE_MOVE,                   12, OBJ_CNODE,         3, RIGHT_WRITE) /* slot, src cnode, src slot */ \
	X(CNODE_DELETE,                 13, OBJ_CNODE,         1, RIGHT_WRITE) /* slot */ \
	X(CNODE_REVOKE,                 14, OBJ_CNODE,         1, RIGHT_WRITE) /* slot */ \
	X(CNODE_DESCRIBE,               15, OBJ_CNODE,         1, RIGHT_READ)  /* slot -> type, rights, badge, size_bits, paddr */ \
	X(CNODE_SAVE_REPLY,             16, OBJ_CNODE,         1, RIGHT_WRITE) /* slot: the caller's pending reply becomes a Reply cap */ \
	X(TCB_CONFIGURE,                20, OBJ_TCB,           6, RIGHT_WRITE) /* cspace, vspace, ipc frame, ipc vaddr, fault ep, priority */ \
	X(TCB_READ_REGISTERS,           21, OBJ_TCB,           0, RIGHT_READ)  /* -> pc, x1..x31 */ \
	X(TCB_WRITE_REGISTERS,          22, OBJ_TCB,          32, RIGHT_WRITE) /* pc, x1..x31 */ \
	X(TCB_RESUME,                   23, OBJ_TCB,           0, RIGHT_WRITE) /* */ \
	X(TCB_SUSPEND,                  24, OBJ_TCB,           0, RIGHT_WRITE) /* */ \
	X(TCB_SET_NAME,                 25, OBJ_TCB,           2, RIGHT_WRITE) /* 16 bytes of name, little-endian */ \
	X(TCB_BIND_NOTIFICATION,        26, OBJ_TCB,           1, RIGHT_WRITE) /* notification */ \
	X(TCB_UNBIND_NOTIFICATION,      27, OBJ_TCB,           0, RIGHT_WRITE) /* */ \
	X(TCB_SET_PRIORITY,             28, OBJ_TCB,           1, RIGHT_WRITE) /* priority (at most the caller's own) */ \
	X(PAGE_TABLE_MAP,               30, OBJ_PAGE_TABLE,    3, RIGHT_WRITE) /* vspace, vaddr, level (1 or 0) */ \
	X(PAGE_TABLE_UNMAP,             31, OBJ_PAGE_TABLE,    0, 0)           /* */ \
	X(FRAME_MAP,                    32, OBJ_FRAME,         3, 0)           /* vspace, vaddr, MAP_* rights (frame_invoke checks the frame's rights for them) */ \
	X(FRAME_UNMAP,                  33, OBJ_FRAME,         0, 0)           /* */ \
	X(FRAME_PADDR,                  34, OBJ_FRAME,         0, 0)           /* -> physical address */ \
	X(IRQ_CONTROL_GET,              40, OBJ_IRQ_CONTROL,   3, RIGHT_WRITE) /* irq, cnode, slot */ \
	X(IRQ_HANDLER_SET_NOTIFICATION, 41, OBJ_IRQ_HANDLER,   1, RIGHT_WRITE) /* notification: bind and unmask */ \
	X(IRQ_HANDLER_ACK,              42, OBJ_IRQ_HANDLER,   0, RIGHT_WRITE) /* unmask the line after an interrupt */ \
	X(IRQ_HANDLER_CLEAR,            43, OBJ_IRQ_HANDLER,   0, RIGHT_WRITE) /* unbind and mask */ \
	X(NOTIFICATION_SET_TIMER,       50, OBJ_NOTIFICATION,  1, RIGHT_WRITE) /* deadline (time counter; 0 cancels) */

enum invocation_label {
#define INVOCATION_ENUM_ENTRY(NAME, label, type, nargs, rights) INV_##NAME = label,
	INVOCATION_TABLE(INVOCATION_ENUM_ENTRY)
#undef INVOCATION_ENUM_ENTRY
};

/* INV_ARGS_<NAME>: how many argument words invocation NAME takes. */
enum invocation_nargs {
#define INVOCATION_NARGS_ENTRY(NAME, label, type, nargs, rights) INV_ARGS_##NAME = nargs,
	INVOCATION_TABLE(INVOCATION_NARGS_ENTRY)
#undef INVOCATION_NARGS_ENTRY
};

#endif /* MICA_OBJECTS_H */
