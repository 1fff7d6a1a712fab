/*
 * loader.h - put a program of the boot image into an address space.
 *
 * Used at boot only, to start root (later programs are loaded by user
 * space, which reads their ELF files itself). The kernel reads no ELF: it
 * follows the program table that tools/mkbootimg wrote at build time
 * (lib/bootimg.h). Every page comes from the caller's page_source, so the
 * loader owns no memory.
 */
#ifndef MICA_LOADER_H
#define MICA_LOADER_H

#include "arch.h"
#include "bootimg.h"

/* The program called name in t, or NULL. */
const struct bootprog *loader_find(const struct bootprog_table *t, const char *name);

/* Load program p, whose segments point into the boot image at image, into
 * vs and map its stack, which ends at BOOTPROG_STACK_TOP with an unmapped
 * page below it, so running off the stack faults instead of corrupting.
 * The table is trusted (mkbootimg checked it: bootprog_check). Returns
 * ERR_OK, or ERR_NO_MEMORY if pages ran out (what was mapped stays
 * mapped: boot gives up). */
int loader_load(struct vspace *vs, const struct bootprog *p, const void *image,
		struct page_source *pages);

#endif /* MICA_LOADER_H */
