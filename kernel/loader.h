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

/* Where the first thread's stack ends, and how big it is. A page below it
 * stays unmapped, so running off the stack faults instead of corrupting. */
#define LOADER_STACK_TOP   (USER_TOP - PAGE_SIZE)
#define LOADER_STACK_PAGES 4

/* The program table [table, table + size) if its header is sound, else NULL. */
const struct bootprog_table *loader_table(const void *table, size_t size);

/* The program called name in t, or NULL. */
const struct bootprog *loader_find(const struct bootprog_table *t, const char *name);

/* Load program p, whose segments point into the boot image [image,
 * image + image_size), into vs and map a stack that ends at
 * LOADER_STACK_TOP. Checks every segment before it maps anything: returns
 * ERR_BAD_FORMAT with the broken rule in *why; ERR_NO_MEMORY if pages ran
 * out (what was mapped stays mapped: boot gives up on this program). */
int loader_load(struct vspace *vs, const struct bootprog *p, const void *image,
		size_t image_size, struct page_source *pages, const char **why);

#endif /* MICA_LOADER_H */
