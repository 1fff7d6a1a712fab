/*
 * irq.c - IRQControl: the right to claim interrupt lines, one handler
 * capability per line at a time.
 */
#include "irq.h"
#include "errors.h"
#include "invoke.h"

#define IRQ_MAX_LINES 1024

static uint32_t irq_lines;
static bool irq_claimed[IRQ_MAX_LINES + 1];

void irq_init(uint32_t nlines)
{
	irq_lines = nlines < IRQ_MAX_LINES ? nlines : IRQ_MAX_LINES;
}

void irq_release(uint32_t line)
{
	if (line <= IRQ_MAX_LINES)
		irq_claimed[line] = false;
}

/* IRQ_CONTROL_GET: line, cnode, slot -> an IRQHandler capability there. */
int irq_control_invoke(struct invocation *inv)
{
	uint64_t line = inv->arg[0];
	struct cte *dest;
	struct cap cap = { .type = OBJ_IRQ_HANDLER, .rights = RIGHTS_ALL };
	int err;

	if (!(inv->slot->cap.rights & RIGHT_WRITE))
		return ERR_NO_RIGHTS;
	if (line == 0 || line > irq_lines)
		return ERR_INVALID_ARGUMENT;
	if (irq_claimed[line])
		return ERR_IN_USE;
	err = invoke_empty_slot(inv->caller, inv->arg[1], inv->arg[2], &dest);
	if (err != ERR_OK)
		return err;
	irq_claimed[line] = true;
	cap.paddr = line;
	cap_insert(dest, &cap, inv->slot);
	return ERR_OK;
}
