/*
 * server.c - what every server started by root shares: the faults it
 * makes on a SERVER_INJECT request (root_proto.h), each a different way
 * to die, so that the supervisor's every path can be tested.
 */
#include "root_proto.h"
#include "sys.h"

void server_fault(unsigned kind)
{
	uint64_t value;

	switch (kind) {
	case FAULT_NULL_POINTER:
		__asm__ volatile("ld %0, 0(%1)" : "=r"(value) : "r"(0ul) : "memory");
		break;
	case FAULT_WILD_POINTER:
		__asm__ volatile("sd zero, 0(%0)" : : "r"(FAULT_WILD_ADDRESS) : "memory");
		break;
	case FAULT_ILLEGAL:
		__asm__ volatile(".4byte 0");     /* all zero bits: never an instruction */
		break;
	case FAULT_LOOP:
		for (;;)
			__asm__ volatile("");
	default:
		break;
	}
	exit(FAULT_EXIT_STATUS);          /* FAULT_EXIT, and any fault that did not stop us */
}
