/*
 * fs_proto.h - the file system server's protocol (user/fs/, docs/fs.md):
 * message labels and formats, the server's CSpace, and the client stubs
 * (lib/fs_client.c).
 *
 * A client first shares a buffer of frames with the server (FS_ATTACH);
 * paths and file data then travel through that buffer, never through
 * message registers: a request names offsets in it. Every request is an
 * ipc_call on the server's endpoint, badged by the supervisor with the
 * client's number (1..FS_MAX_CLIENTS); the reply's label is an error code
 * (errors.h) and its words follow only when that is ERR_OK. A bad request
 * gets an error, never a crash. Every request that changes the disk is
 * committed to the disk (one log transaction) before its reply is sent.
 */
#ifndef MICA_FS_PROTO_H
#define MICA_FS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "objects.h"

/* Checked once, at FS_ATTACH: a client of another version is refused with
 * ERR_NOT_IMPLEMENTED. */
#define FS_PROTO_VERSION 0x46530001ul      /* "FS" 1 */

#define FS_MAX_CLIENTS  16u             /* badges 1..16 */
#define FS_MAX_PAGES    16u                /* a client's buffer: at most 64 KiB */
#define FS_IO_MAX       (FS_MAX_PAGES * 4096u)   /* bytes one read or write moves */
#define FS_MAX_HANDLES  256u               /* open files, all clients together */
#define FS_HANDLE_ROOT  0u                 /* names the root directory in every request */
#define FS_OFF_HANDLE   (~0ul)             /* "at the handle's offset, and advance it" */

/* Open flags: xv6's O_* values (user/include/kernel/fcntl.h), and
 * FS_O_NOFOLLOW to open a symbolic link itself. */
#define FS_O_RDONLY   0x000u
#define FS_O_WRONLY   0x001u
#define FS_O_RDWR     0x002u
#define FS_O_NOFOLLOW 0x004u
#define FS_O_CREATE   0x200u
#define FS_O_TRUNC    0x400u
#define FS_O_ACCMODE  0x003u

/* Inode types as stat reports them: xv6's T_DIR 1, T_FILE 2, T_DEVICE 3,
 * and T_SYMLINK 4 (fs_format.h, enum fs_type). */
struct fs_stat {
	uint32_t inum;
	uint16_t type, nlink;
	uint16_t major, minor;
	uint64_t size;
};

enum fs_whence { FS_SEEK_SET, FS_SEEK_CUR, FS_SEEK_END };

/*
 * The messages. "path" is the string of `len` bytes at offset 0 of the
 * buffer; two strings (target, path; old, new) lie one after the other.
 * "dir" is a handle of an open directory or FS_HANDLE_ROOT; relative paths
 * start there, absolute ones at the root. A stat in a reply is three
 * words (FS_STAT_WORDS): inum | type << 32 | nlink << 48, size,
 * major | minor << 16.
 *
 *  label         request words                        reply words
 *  FS_ATTACH     version, first page (+ 1..3 frames)  -
 *  FS_OPEN       dir, flags, len                      handle, stat
 *  FS_CLOSE      handle                               -
 *  FS_READ       handle, count, buf offset, file off  bytes read (0: end of file)
 *  FS_WRITE      handle, count, buf offset, file off  bytes written (all of count)
 *  FS_SEEK       handle, offset, whence               the new offset
 *  FS_FSTAT      handle                               stat
 *  FS_STAT       dir, len, follow (0: lstat)          stat
 *  FS_MKDIR      dir, len                             -
 *  FS_MKNOD      dir, len, major, minor               -
 *  FS_SYMLINK    dir, target len, path len            -
 *  FS_READLINK   dir, len                             bytes (the target, at offset 0)
 *  FS_LINK       dir, old len, new len                -
 *  FS_UNLINK     dir, len                             -
 *  FS_READDIR    handle, max entries, buf offset      entries (xv6 struct dirent, 16 bytes each)
 *  FS_INJECT     fault, after, arg                    disk writes so far (tests only: below)
 *
 * FS_READ and FS_WRITE take the file offset FS_OFF_HANDLE to use the
 * handle's own offset and advance it (xv6's read and write); any other
 * value reads or writes there and leaves the handle's offset alone (pread,
 * pwrite). FS_READ on a directory reads its raw entries. FS_READDIR
 * returns live entries only and advances the handle's offset. FS_ATTACH
 * makes the frames pages first.. of the client's buffer (attaching again
 * replaces them). The server also answers root's SERVER_PING and
 * SERVER_INJECT (root_proto.h), from any badge.
 *
 * FS_INJECT, honoured only by a server started with SERVER_ARG_INJECT
 * (else ERR_NO_RIGHTS), arms a fault for the tests: FS_FAULT_POWER_CUT
 * makes the server stop dead at its `after`-th disk write from now, that
 * write cut to its first `arg` sectors (0..7): a power cut at that
 * instant, after which the test kills the machine; FS_FAULT_KILL_DRIVER
 * makes the block driver fault (enum server_fault `arg`) just before the
 * server's `after`-th request to it from now, so that it dies in the
 * middle of an operation and its supervisor restarts it. FS_FAULT_POWER_CUT
 * with after 0 (and arg 0) arms nothing: the reply's count of the
 * server's disk writes is what the crash tests pick their points from.
 */
enum fs_fault { FS_FAULT_POWER_CUT, FS_FAULT_KILL_DRIVER };
enum fs_label {
	FS_ATTACH = 1,
	FS_OPEN,
	FS_CLOSE,
	FS_READ,
	FS_WRITE,
	FS_SEEK,
	FS_FSTAT,
	FS_STAT,
	FS_MKDIR,
	FS_MKNOD,
	FS_SYMLINK,
	FS_READLINK,
	FS_LINK,
	FS_UNLINK,
	FS_READDIR,
	FS_INJECT,
	FS_LABEL_COUNT
};
#define FS_STAT_WORDS 3

/*
 * The errors a request can get back, besides what ipc_call returns:
 *  ERR_NOT_IMPLEMENTED    FS_ATTACH of another protocol version
 *  ERR_INVALID_OPERATION  no such label; read or write of a device file
 *  ERR_TRUNCATED          fewer words than the label takes
 *  ERR_NO_RIGHTS          a badge that is not a client's; a write on a handle opened read-only
 *                         (or a read on one opened write-only); FS_INJECT not honoured
 *  ERR_INVALID_ARGUMENT   a handle that is not the client's; bad flags or whence; a path
 *                         with a nul in it; "." or ".." as the last component of a change
 *  ERR_BAD_ADDRESS        a string or transfer outside the attached buffer (or reaching a
 *                         page not attached, or no longer there)
 *  ERR_NOT_FOUND          a path component that does not exist
 *  ERR_NOT_DIRECTORY      a path component that is not a directory
 *  ERR_IS_DIRECTORY       writing a directory, or linking one
 *  ERR_NAME_TOO_LONG      a component over 14 bytes, a path over FS_MAXPATH
 *  ERR_EXISTS             the name to make is taken
 *  ERR_NOT_EMPTY          unlinking a directory with entries
 *  ERR_NO_SPACE           the disk is full (nothing was written)
 *  ERR_NO_INODES          the inode table is full
 *  ERR_LOOP               more than FS_MAXSYMLINKS symbolic links on one path
 *  ERR_RANGE              past the largest file (4 GiB); too many links to one file
 *  ERR_NO_MEMORY          FS_MAX_HANDLES files open
 *  ERR_BAD_FORMAT         the image is damaged where the request led
 *  ERR_IO                 the disk failed
 */

/*
 * The server's CSpace, as its supervisor fills it before it starts (a0 is
 * the FS_ARG_* flags).
 */
enum fs_slot {
	FS_SLOT_CNODE = 1,     /* its own CNode (radix FS_CNODE_RADIX) */
	FS_SLOT_VSPACE,        /* its own VSpace: client buffers are mapped into it */
	FS_SLOT_UNTYPED,       /* 2^FS_UNTYPED_BITS bytes: its disk buffer and page tables */
	FS_SLOT_ENDPOINT,      /* where clients call (read right) */
	FS_SLOT_BLK,           /* the block driver's endpoint, badged for the fs */
	FS_SLOT_FAULT,         /* the supervisor's fault endpoint (the TCB's) */
	FS_SLOT_FIRST_FREE,    /* the server's own from here */
};
#define FS_CNODE_RADIX   10        /* 1024 slots */
#define FS_UNTYPED_BITS  21        /* 2 MiB: the buffer cache is most of it */

/* Flags in a0 at the server's start: SERVER_ARG_INJECT (root_proto.h)
 * honours FS_INJECT and SERVER_INJECT, and: */
#define FS_ARG_QUIET     2ul       /* print nothing but errors */

/*
 * The client side (lib/fs_client.c). A struct fs_client is one client's
 * connection: the server's endpoint (badged for it) and its buffer, `pages`
 * frames mapped contiguously at buf. Every stub returns an error code;
 * paths are nul-terminated C strings here, at most FS_MAXPATH bytes, and
 * data moves through buf (at most FS_IO_MAX bytes a call; the stubs that
 * take a user buffer copy in and out of it).
 */
struct fs_client {
	cptr_t ep;
	uint8_t *buf;
	unsigned pages;
};

/* Share buf (whose frames are frames[0..pages-1]) with the server. */
int fs_connect(struct fs_client *c, cptr_t ep, uint8_t *buf, const cptr_t *frames, unsigned pages);
int fs_open(struct fs_client *c, uint64_t dir, const char *path, unsigned flags, uint64_t *handle,
	    struct fs_stat *st);
int fs_close(struct fs_client *c, uint64_t handle);
/* off: a file offset, or FS_OFF_HANDLE. n <= FS_IO_MAX; *done is how many moved. */
int fs_read(struct fs_client *c, uint64_t handle, void *dst, size_t n, uint64_t off, size_t *done);
int fs_write(struct fs_client *c, uint64_t handle, const void *src, size_t n, uint64_t off);
int fs_seek(struct fs_client *c, uint64_t handle, int64_t offset, enum fs_whence whence,
	    uint64_t *result);
int fs_fstat(struct fs_client *c, uint64_t handle, struct fs_stat *st);
int fs_stat(struct fs_client *c, uint64_t dir, const char *path, int follow, struct fs_stat *st);
int fs_mkdir(struct fs_client *c, uint64_t dir, const char *path);
int fs_mknod(struct fs_client *c, uint64_t dir, const char *path, unsigned major, unsigned minor);
int fs_symlink(struct fs_client *c, uint64_t dir, const char *target, const char *path);
/* The target, nul-terminated, into buf of size bytes (ERR_RANGE if it does not fit). */
int fs_readlink(struct fs_client *c, uint64_t dir, const char *path, char *buf, size_t size);
int fs_link(struct fs_client *c, uint64_t dir, const char *old, const char *new);
int fs_unlink(struct fs_client *c, uint64_t dir, const char *path);
/* Up to max live entries (16 bytes each: u16 inum, 14 bytes of name) into out. */
int fs_readdir(struct fs_client *c, uint64_t handle, void *out, unsigned max, unsigned *count);
/* Tests only: see FS_INJECT. *writes (if not NULL) gets the count of the
 * server's disk writes so far. */
int fs_inject(struct fs_client *c, enum fs_fault fault, uint64_t after, uint64_t arg,
	      uint64_t *writes);

#endif /* MICA_FS_PROTO_H */
