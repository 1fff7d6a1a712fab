/*
 * errors_text.c - the one-line descriptions of the shared error codes,
 * generated from ERROR_TABLE in errors.h. For user programs and host
 * tools; the kernel prints only the names (errors.c).
 */
#include "errors.h"

static const char *const err_texts[] = {
#define ERR_TEXT_ENTRY(name, number, text) [number] = text,
	ERROR_TABLE(ERR_TEXT_ENTRY)
#undef ERR_TEXT_ENTRY
};

const char *err_text(int err)
{
	if (err < 0 || err >= ERR_COUNT || !err_texts[err])
		return "unknown error";
	return err_texts[err];
}
