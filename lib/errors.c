/*
 * errors.c - names of the shared error codes.
 *
 * Generated from ERROR_TABLE in errors.h, so a new code gets its name for
 * free. Used by the kernel's messages, user programs and host tests alike.
 * Also the names of the exceptions a fault message's cause can be. The
 * descriptions (err_text) are in errors_text.c: only host tools print them.
 */
#include "errors.h"

#include <stddef.h>

static const char *const err_names[] = {
#define ERR_NAME_ENTRY(name, number, text) [number] = #name,
	ERROR_TABLE(ERR_NAME_ENTRY)
#undef ERR_NAME_ENTRY
};

const char *err_name(int err)
{
	if (err < 0 || err >= ERR_COUNT || !err_names[err])
		return "ERR_UNKNOWN";
	return err_names[err];
}

const char *fault_cause_name(uint64_t cause)
{
	static const char *const names[16] = {
		"misaligned instruction fetch", "instruction access fault",  /* 0, 1 */
		"illegal instruction", "breakpoint",                         /* 2, 3 */
		"misaligned load", "load access fault",                      /* 4, 5 */
		"misaligned store", "store access fault",                    /* 6, 7 */
		"ecall from U-mode", "ecall from S-mode", NULL, NULL,        /* 8..11 */
		"instruction page fault", "load page fault", NULL, "store page fault",
	};

	if (cause < sizeof(names) / sizeof(names[0]) && names[cause])
		return names[cause];
	return "unknown exception";
}
