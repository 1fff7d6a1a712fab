/*
 * errors_text.c - err_text(): the one-line descriptions of the shared error
 * codes, from ERROR_TABLE in errors.h. Only the host tools print them (mkfs);
 * the kernel and user programs say err_name() alone, so this is not in
 * errors.c, which the kernel links.
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
