/*
 * errors.c - names and descriptions of the shared error codes.
 *
 * Generated from ERROR_TABLE in errors.h, so a new code gets its name for
 * free. Used by the kernel's messages, user programs and host tests alike.
 */
#include "errors.h"

static const char *const err_names[] = {
#define ERR_NAME_ENTRY(name, number, text) [number] = #name,
	ERROR_TABLE(ERR_NAME_ENTRY)
#undef ERR_NAME_ENTRY
};

static const char *const err_texts[] = {
#define ERR_TEXT_ENTRY(name, number, text) [number] = text,
	ERROR_TABLE(ERR_TEXT_ENTRY)
#undef ERR_TEXT_ENTRY
};

const char *err_name(int err)
{
	if (err < 0 || err >= ERR_COUNT || !err_names[err])
		return "ERR_UNKNOWN";
	return err_names[err];
}

const char *err_text(int err)
{
	if (err < 0 || err >= ERR_COUNT || !err_texts[err])
		return "unknown error";
	return err_texts[err];
}
