/*
 * uaccess.h - the only way the kernel touches user memory.
 *
 * A user pointer (uaddr_t) is an allegation: uaccess_copy_in() checks, page
 * by page, that the thread's address space maps it readable, and copies
 * through the kernel's direct map. It never faults, and it checks the whole
 * range before copying a byte, so a bad pointer changes nothing. There is
 * no copy out (uaccess.c says why).
 */
#ifndef MICA_UACCESS_H
#define MICA_UACCESS_H

#include "arch.h"

/* Copy len bytes from user memory; ERR_BAD_ADDRESS, and nothing copied, if
 * any byte is not in a readable user page (a range that wraps or leaves
 * user space included). len 0 is always ERR_OK. */
int uaccess_copy_in(const struct vspace *vs, void *dst, uaddr_t src, size_t len);

#endif /* MICA_UACCESS_H */
