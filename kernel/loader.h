/*
 * loader.h - put a user program from the boot image into an address space.
 *
 * Used at boot only, to start root (later, the process server loads
 * programs itself, in user space). Every page comes from the caller's
 * page_source, so the loader owns no memory.
 */
#ifndef MICA_LOADER_H
#define MICA_LOADER_H

#include "arch.h"

/* Where the first thread's stack ends, and how big it is. A page below it
 * stays unmapped, so running off the stack faults instead of corrupting. */
#define LOADER_STACK_TOP   (USER_TOP - PAGE_SIZE)
#define LOADER_STACK_PAGES 4

/* Load the ELF executable [elf, elf+size) into vs and map a stack that ends
 * at LOADER_STACK_TOP. Returns ERR_OK and sets *entry; ERR_BAD_FORMAT with
 * the check that failed written to why[why_size]; ERR_NO_MEMORY if pages ran
 * out (what was mapped stays mapped: boot gives up on this program). */
int loader_load(struct vspace *vs, const void *elf, size_t size, struct page_source *pages,
		uaddr_t *entry, char *why, size_t why_size);

#endif /* MICA_LOADER_H */
