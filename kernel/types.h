/*
 * types.h - the scalar types every kernel file speaks in.
 *
 * A physical address and a user virtual address are both 64-bit numbers, but
 * they must never be mixed up with each other or with kernel pointers: a
 * physical address is only dereferenced through pa_to_kva(), and a user
 * address only through the checked copies in uaccess.h.
 */
#ifndef MICA_TYPES_H
#define MICA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;   /* a physical address */
typedef uint64_t uaddr_t;   /* an address in some user address space: an allegation until checked */

#define PAGE_SIZE  4096ul
#define PAGE_SHIFT 12
#define PAGE_ROUND_DOWN(a) ((a) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(a)   (((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* Access rights of a mapping, as the generic kernel names them: the bits of
 * an ELF segment's flags (PF_R, PF_W, PF_X), so the loader passes those on. */
#define VM_READ  4u
#define VM_WRITE 2u
#define VM_EXEC  1u

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* MICA_TYPES_H */
