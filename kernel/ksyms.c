/*
 * ksyms.c - address to function name, by binary search over the table that
 * the build generates (see ksyms.h). Must work during a panic: no locks, no
 * allocation, nothing that can fault on a wild address.
 */
#include "ksyms.h"

#include <stddef.h>

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (ksyms_count == 0 || addr < ksyms[0].addr)
		return NULL;
	/* Find the last entry whose address is <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms[lo].name == NULL)
		return NULL;        /* at or past the end of the text */
	*offset = addr - ksyms[lo].addr;
	return ksyms[lo].name;
}
