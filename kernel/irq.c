/*
 * irq.c - IRQControl and IRQHandler: who may hear which interrupt line.
 *
 * A line is claimed by at most one IRQHandler capability at a time, and
 * bound to at most one notification. The kernel never runs driver code:
 * it masks the line, signals, and waits for the driver's acknowledgement.
 */
#include "irq.h"
#include "errors.h"
#include "invoke.h"
#include "ipc.h"

#define IRQ_MAX_LINES 1024

struct irq_line {
	bool claimed;
	bool armed;                    /* bound and unmasked: it can interrupt */
	struct notification *ntfn;     /* bound: signalled with badge */
	uint64_t badge;
};

static uint32_t irq_lines;
static uint32_t lines_bound;          /* lines with a notification */
static struct irq_line lines[IRQ_MAX_LINES + 1];

void irq_init(uint32_t nlines)
{
	irq_lines = nlines < IRQ_MAX_LINES ? nlines : IRQ_MAX_LINES;
}

static void irq_arm(uint32_t line)
{
	lines[line].armed = true;
	arch_irq_unmask(line);
}

static void irq_disarm(uint32_t line)
{
	lines[line].armed = false;
	arch_irq_mask(line);
}

static void irq_unbind(uint32_t line)
{
	lines_bound -= lines[line].ntfn != NULL;
	lines[line].ntfn = NULL;
	irq_disarm(line);
}

/* line is an IRQHandler's, so irq_control_invoke() checked it. */
void irq_release(uint32_t line)
{
	irq_unbind(line);
	lines[line].claimed = false;
}

bool irq_raise(uint32_t line)
{
	if (line > irq_lines || lines[line].ntfn == NULL)
		return false;
	irq_disarm(line);       /* until the driver acknowledges */
	ntfn_signal(lines[line].ntfn, lines[line].badge);
	return true;
}

void irq_forget_notification(struct notification *n)
{
	uint32_t line;

	for (line = 1; lines_bound != 0 && line <= irq_lines; line++)
		if (lines[line].ntfn == n)
			irq_unbind(line);
}

bool irq_any_armed(void)
{
	uint32_t line;

	for (line = 1; line <= irq_lines; line++)
		if (lines[line].armed)
			return true;
	return false;
}

/* IRQ_CONTROL_GET: line, cnode, slot -> an IRQHandler capability there. */
int irq_control_invoke(struct invocation *inv)
{
	uint64_t line = inv->arg[0];
	struct cte *dest;
	int err;

	if (line == 0 || line > irq_lines)
		return ERR_INVALID_ARGUMENT;
	if (lines[line].claimed)
		return ERR_IN_USE;
	err = invoke_slot(inv->caller, inv->arg[1], inv->arg[2], RIGHT_WRITE, true, &dest);
	if (err != ERR_OK)
		return err;
	lines[line].claimed = true;
	cap_insert(dest, &(struct cap){ .type = OBJ_IRQ_HANDLER, .rights = RIGHTS_ALL,
					.paddr = line }, inv->slot);
	return ERR_OK;
}

/* IRQ_HANDLER_SET_NOTIFICATION (notification), _ACK, _CLEAR. */
int irq_handler_invoke(struct invocation *inv)
{
	uint32_t line = (uint32_t)inv->slot->cap.paddr;
	struct cte *ntfn;
	int err;

	switch (inv->label) {
	case INV_IRQ_HANDLER_SET_NOTIFICATION:
		err = invoke_lookup(inv->caller, inv->arg[0], OBJ_NOTIFICATION, RIGHT_WRITE, &ntfn);
		if (err != ERR_OK)
			return err;
		lines_bound += lines[line].ntfn == NULL;
		lines[line].ntfn = pa_to_kva(ntfn->cap.paddr);
		lines[line].badge = ntfn->cap.data ? ntfn->cap.data : 1;
		irq_arm(line);
		return ERR_OK;
	case INV_IRQ_HANDLER_ACK:
		if (lines[line].ntfn == NULL)
			return ERR_INVALID_OPERATION;   /* nothing bound to acknowledge */
		irq_arm(line);
		return ERR_OK;
	case INV_IRQ_HANDLER_CLEAR:
		irq_unbind(line);
		return ERR_OK;
	default:
		return ERR_INVALID_OPERATION;
	}
}
