/*
 * invoke.c - invocation stubs: put the arguments where the kernel looks
 * for them (msg.h) and make the `call` system call.
 *
 * Every stub goes through INVOKE, which checks at compile time that it
 * passes exactly the number of words the table in objects.h says, so a
 * stub cannot drift from the kernel's idea of the call. (The one exception,
 * tcb_write_registers, passes a struct and asserts its size instead.)
 */
#include "invoke.h"
#include "errors.h"
#include "ipc.h"
#include "str.h"
#include "syscalls.h"

#define INVOKE(cap, NAME, results, max_results, ...) ({                                 \
	const uint64_t invoke_args_[] = { 0, __VA_ARGS__ };                              \
	_Static_assert(sizeof(invoke_args_) / 8 - 1 == INV_ARGS_##NAME,                   \
		       #NAME ": the stub passes a different number of words than objects.h"); \
	invoke((cap), INV_##NAME, invoke_args_ + 1, INV_ARGS_##NAME, (results), (max_results)); \
})

int invoke(cptr_t cap, unsigned label, const uint64_t *args, unsigned nargs,
	   uint64_t *results, unsigned max_results)
{
	struct ipc_buffer *buf = ipc_buffer();
	register uint64_t a0 __asm__("a0") = cap;
	register uint64_t a1 __asm__("a1") = MSGINFO(label, 0, nargs);
	register uint64_t a2 __asm__("a2") = nargs > 0 ? args[0] : 0;
	register uint64_t a3 __asm__("a3") = nargs > 1 ? args[1] : 0;
	register uint64_t a4 __asm__("a4") = nargs > 2 ? args[2] : 0;
	register uint64_t a5 __asm__("a5") = nargs > 3 ? args[3] : 0;
	register uint64_t a7 __asm__("a7") = SYS_CALL;
	unsigned i, n;

	for (i = MSG_REG_WORDS; i < nargs; i++)
		buf->mr[i] = args[i];
	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
			 : "r"(a7)
			 : "memory");
	n = MSGINFO_LENGTH(a1) < max_results ? MSGINFO_LENGTH(a1) : max_results;
	for (i = 0; i < n; i++) {
		const uint64_t in_regs[MSG_REG_WORDS] = { a2, a3, a4, a5 };

		results[i] = i < MSG_REG_WORDS ? in_regs[i] : buf->mr[i];
	}
	return (int)a0;
}

int untyped_retype(cptr_t untyped, unsigned type, unsigned size_bits, cptr_t cnode,
		   cptr_t first_slot, unsigned count)
{
	return INVOKE(untyped, UNTYPED_RETYPE, NULL, 0, type, size_bits, cnode, first_slot, count);
}

int untyped_retype_many(cptr_t untyped, unsigned type, unsigned size_bits, cptr_t cnode,
			cptr_t first_slot, unsigned count)
{
	unsigned done = 0, step;
	int err;

	do {    /* at least one call, so that a count of 0 gets the kernel's error */
		step = count - done < RETYPE_MAX_COUNT ? count - done : RETYPE_MAX_COUNT;
		err = untyped_retype(untyped, type, size_bits, cnode, first_slot + done, step);
		done += step;
	} while (err == ERR_OK && done < count);
	return err;
}

int cnode_copy(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot, unsigned rights)
{
	return INVOKE(cnode, CNODE_COPY, NULL, 0, slot, src_cnode, src_slot, rights);
}

int cnode_mint(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot, unsigned rights,
	       uint64_t badge)
{
	return INVOKE(cnode, CNODE_MINT, NULL, 0, slot, src_cnode, src_slot, rights, badge);
}

int cnode_move(cptr_t cnode, cptr_t slot, cptr_t src_cnode, cptr_t src_slot)
{
	return INVOKE(cnode, CNODE_MOVE, NULL, 0, slot, src_cnode, src_slot);
}

int cnode_delete(cptr_t cnode, cptr_t slot)
{
	return INVOKE(cnode, CNODE_DELETE, NULL, 0, slot);
}

int cnode_revoke(cptr_t cnode, cptr_t slot)
{
	return INVOKE(cnode, CNODE_REVOKE, NULL, 0, slot);
}

int cnode_describe(cptr_t cnode, cptr_t slot, struct cap_info *info)
{
	memset(info, 0, sizeof(*info));
	return INVOKE(cnode, CNODE_DESCRIBE, (uint64_t *)info, sizeof(*info) / 8, slot);
}

int cnode_save_reply(cptr_t cnode, cptr_t slot)
{
	return INVOKE(cnode, CNODE_SAVE_REPLY, NULL, 0, slot);
}

int tcb_configure(cptr_t tcb, cptr_t cspace, cptr_t vspace, cptr_t ipc_frame,
		  uint64_t ipc_vaddr, cptr_t fault_ep, unsigned priority)
{
	return INVOKE(tcb, TCB_CONFIGURE, NULL, 0, cspace, vspace, ipc_frame, ipc_vaddr,
		      fault_ep, priority);
}

_Static_assert(sizeof(struct user_regs) / 8 == INV_ARGS_TCB_WRITE_REGISTERS,
	       "struct user_regs is what TCB_WRITE_REGISTERS takes");

int tcb_read_registers(cptr_t tcb, struct user_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	return INVOKE(tcb, TCB_READ_REGISTERS, (uint64_t *)regs, sizeof(*regs) / 8);
}

int tcb_write_registers(cptr_t tcb, const struct user_regs *regs)
{
	return invoke(tcb, INV_TCB_WRITE_REGISTERS, (const uint64_t *)regs,
		      sizeof(*regs) / 8, NULL, 0);
}

int tcb_resume(cptr_t tcb)
{
	return INVOKE(tcb, TCB_RESUME, NULL, 0);
}

int tcb_suspend(cptr_t tcb)
{
	return INVOKE(tcb, TCB_SUSPEND, NULL, 0);
}

int tcb_set_name(cptr_t tcb, const char *name)
{
	uint64_t words[2] = { 0, 0 };

	str_copy((char *)words, name, sizeof(words));
	return INVOKE(tcb, TCB_SET_NAME, NULL, 0, words[0], words[1]);
}

int tcb_bind_notification(cptr_t tcb, cptr_t ntfn)
{
	return INVOKE(tcb, TCB_BIND_NOTIFICATION, NULL, 0, ntfn);
}

int tcb_unbind_notification(cptr_t tcb)
{
	return INVOKE(tcb, TCB_UNBIND_NOTIFICATION, NULL, 0);
}

int tcb_set_priority(cptr_t tcb, unsigned priority)
{
	return INVOKE(tcb, TCB_SET_PRIORITY, NULL, 0, priority);
}

int page_table_map(cptr_t page_table, cptr_t vspace, uint64_t vaddr, unsigned level)
{
	return INVOKE(page_table, PAGE_TABLE_MAP, NULL, 0, vspace, vaddr, level);
}

int page_table_unmap(cptr_t page_table)
{
	return INVOKE(page_table, PAGE_TABLE_UNMAP, NULL, 0);
}

int frame_map(cptr_t frame, cptr_t vspace, uint64_t vaddr, unsigned rights)
{
	return INVOKE(frame, FRAME_MAP, NULL, 0, vspace, vaddr, rights);
}

int frame_unmap(cptr_t frame)
{
	return INVOKE(frame, FRAME_UNMAP, NULL, 0);
}

int frame_paddr(cptr_t frame, uint64_t *paddr)
{
	*paddr = 0;
	return INVOKE(frame, FRAME_PADDR, paddr, 1);
}

int irq_control_get(cptr_t irq_control, unsigned irq, cptr_t cnode, cptr_t slot)
{
	return INVOKE(irq_control, IRQ_CONTROL_GET, NULL, 0, irq, cnode, slot);
}

int irq_handler_set_notification(cptr_t irq_handler, cptr_t ntfn)
{
	return INVOKE(irq_handler, IRQ_HANDLER_SET_NOTIFICATION, NULL, 0, ntfn);
}

int irq_handler_ack(cptr_t irq_handler)
{
	return INVOKE(irq_handler, IRQ_HANDLER_ACK, NULL, 0);
}

int irq_handler_clear(cptr_t irq_handler)
{
	return INVOKE(irq_handler, IRQ_HANDLER_CLEAR, NULL, 0);
}

int notification_set_timer(cptr_t ntfn, uint64_t deadline)
{
	return INVOKE(ntfn, NOTIFICATION_SET_TIMER, NULL, 0, deadline);
}
