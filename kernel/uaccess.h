/*
 * uaccess.h - the only way the kernel touches user memory.
 *
 * A user pointer (uaddr_t) is an allegation: these functions check, page by
 * page, that the thread's address space maps it with the rights needed, and
 * copy through the kernel's direct map. They never fault, and they check the
 * whole range before copying a byte, so a bad pointer changes nothing.
 */
#ifndef MICA_UACCESS_H
#define MICA_UACCESS_H

#include "arch.h"

/* ERR_OK if every byte of [uaddr, uaddr+len) is mapped with vm_perm;
 * ERR_BAD_ADDRESS otherwise (including a range that wraps or leaves user
 * space). len 0 is always ERR_OK. */
int uaccess_check(const struct vspace *vs, uaddr_t uaddr, size_t len, unsigned vm_perm);
/* Copy len bytes from user memory; ERR_BAD_ADDRESS (and nothing copied) if
 * any byte is not readable. */
int uaccess_copy_in(const struct vspace *vs, void *dst, uaddr_t src, size_t len);

#endif /* MICA_UACCESS_H */
