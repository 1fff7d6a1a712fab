/*
 * errors.c - the names of the shared error codes.
 *
 * Generated from ERROR_TABLE in errors.h, so a new code gets its name for
 * free. Used by the kernel's messages, user programs and host tests alike;
 * the one-line descriptions, which only user programs print, are in
 * errors_text.c, so the kernel does not carry them.
 */
#include "errors.h"

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
