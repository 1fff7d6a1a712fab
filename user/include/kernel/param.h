/*
 * kernel/param.h - the system's fixed limits, under xv6's names and with
 * xv6's values.
 *
 * These are promises the servers keep, not just numbers for programs: the
 * process server runs at most NPROC processes and gives each NOFILE file
 * descriptors, exec() takes at most MAXARG arguments, and a path is at most
 * MAXPATH bytes with its nul. usertests checks each of them. A value here
 * changes only together with the server that enforces it.
 */
#ifndef XV6_KERNEL_PARAM_H
#define XV6_KERNEL_PARAM_H

#define NPROC       64    /* processes at once */
#define NCPU        8     /* harts the system is built for */
#define NOFILE      16    /* open files per process */
#define NFILE       100   /* open files in the whole system */
#define NINODE      50    /* inodes the file system holds in memory at once */
#define NDEV        10    /* device numbers (major) */
#define ROOTDEV     1     /* device number of the root file system */
#define MAXARG      32    /* arguments to exec(), argv[0] included */
#define MAXOPBLOCKS 10    /* blocks one file system operation writes at most */
#define LOGSIZE     (MAXOPBLOCKS * 3)   /* blocks in the on-disk log */
#define NBUF        (MAXOPBLOCKS * 3)   /* blocks in the buffer cache */
#define FSSIZE      2000  /* size of the file system in blocks */
#define MAXPATH     128   /* bytes in a path, the nul included */

#endif /* XV6_KERNEL_PARAM_H */
