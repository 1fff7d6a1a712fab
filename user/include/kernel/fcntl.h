/*
 * kernel/fcntl.h - the mode bits open() takes, with xv6's values.
 *
 * Exactly one of O_RDONLY, O_WRONLY and O_RDWR, or'ed with any of the
 * others. O_NOFOLLOW opens a symbolic link itself instead of the file it
 * names (xv6's symlink lab).
 */
#ifndef XV6_KERNEL_FCNTL_H
#define XV6_KERNEL_FCNTL_H

#define O_RDONLY   0x000
#define O_WRONLY   0x001
#define O_RDWR     0x002
#define O_CREATE   0x200   /* create the file if it does not exist */
#define O_TRUNC    0x400   /* cut an existing file to length 0 */
#define O_NOFOLLOW 0x004   /* do not follow a symbolic link in the last element */

#endif /* XV6_KERNEL_FCNTL_H */
