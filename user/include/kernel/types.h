/*
 * kernel/types.h - the short integer names of xv6's user API (uint, uint64,
 * ...), so a program written for xv6 compiles here unchanged.
 *
 * Part of Mica's xv6-compatible headers (user/include/, docs/xv6-api.md).
 * The names are typedefs, which Mica's own code avoids: here they are the
 * API being reproduced. Include this first in an xv6 program, as xv6 does;
 * the other headers in user/include/ also include it themselves.
 */
#ifndef XV6_KERNEL_TYPES_H
#define XV6_KERNEL_TYPES_H

typedef unsigned int   uint;
typedef unsigned short ushort;
typedef unsigned char  uchar;

typedef unsigned char  uint8;
typedef unsigned short uint16;
typedef unsigned int   uint32;
typedef unsigned long  uint64;

/* A page-directory entry; Mica's programs never see one, xv6's headers name it. */
typedef uint64 pde_t;

#endif /* XV6_KERNEL_TYPES_H */
