/*
 * ksyms.h - the kernel's own symbol table, for readable backtraces.
 *
 * The build links the kernel twice: the second link adds a table of every
 * function's address and name (generated from the first link by
 * tools/ksyms.awk) in a section placed after everything else, so no other
 * address moves. Until then the table is empty and lookups return NULL.
 */
#ifndef MICA_KSYMS_H
#define MICA_KSYMS_H

#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;   /* NULL marks the end of the kernel text */
};

/* Sorted by address; the last entry is the end-of-text sentinel. */
extern const struct ksym ksyms[];
extern const uint64_t ksyms_count;

/* The function containing addr and addr's offset into it, or NULL if addr
 * is not in the kernel's text. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif /* MICA_KSYMS_H */
