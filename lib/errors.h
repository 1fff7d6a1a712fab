/*
 * errors.h - the one list of error codes shared by the kernel, user space and
 * host tools.
 *
 * Every operation that can fail because of its input returns one of these:
 * 0 (ERR_OK) on success, a positive code otherwise. The kernel returns them to
 * user space in a0; lib/ functions return them to their callers. err_name()
 * turns a code into its name for messages. Add a code by adding one line to
 * ERROR_TABLE; never renumber an existing one (user binaries depend on them).
 */
#ifndef MICA_ERRORS_H
#define MICA_ERRORS_H

#include <stdint.h>

/*     name                   number  what it means */
#define ERROR_TABLE(X)                                                        \
	X(ERR_OK,                 0,  "success")                              \
	X(ERR_INVALID_ARGUMENT,   1,  "an argument is out of range")          \
	X(ERR_BAD_ADDRESS,        2,  "a user pointer is not mapped as needed") \
	X(ERR_INVALID_SYSCALL,    3,  "no such system call (unused: an unknown number is a fault)")                  \
	X(ERR_BAD_FORMAT,         4,  "malformed input (ELF, device tree, image)") \
	X(ERR_NOT_FOUND,          5,  "no such object or name")               \
	X(ERR_NO_MEMORY,          6,  "not enough memory")                    \
	X(ERR_RANGE,              7,  "a value or region does not fit")       \
	X(ERR_NOT_IMPLEMENTED,    8,  "not implemented (yet)")                \
	X(ERR_INVALID_CAP,        9,  "no capability at that address, or not the type the operation needs") \
	X(ERR_NO_RIGHTS,          10, "the capability lacks a right the operation needs") \
	X(ERR_SLOT_OCCUPIED,      11, "the destination slot already holds a capability") \
	X(ERR_INVALID_OPERATION,  12, "the object has no such operation")     \
	X(ERR_IN_USE,             13, "the object is in use (mapped, claimed, badged, ...)") \
	X(ERR_NO_PAGE_TABLE,      14, "a page table the mapping needs is missing") \
	X(ERR_ALREADY_MAPPED,     15, "something is already mapped there")    \
	X(ERR_ALIGNMENT,          16, "an address or size is not aligned as required") \
	X(ERR_TRUNCATED,          17, "the message is shorter than the operation needs") \
	X(ERR_WOULD_BLOCK,        18, "nobody was waiting, and the call may not block") \
	X(ERR_CANCELLED,          19, "the wait ended without a partner (object deleted, reply dropped)") \
	X(ERR_NO_CALLER,          20, "there is no call to reply to")     \
	X(ERR_IO,                 21, "the device reported an input/output error")     \
	X(ERR_NO_SPACE,           22, "no space left: the disk or the log is full") \
	X(ERR_NO_INODES,          23, "the file system's inode table is full") \
	X(ERR_NAME_TOO_LONG,      24, "a file name or path is too long")      \
	X(ERR_NOT_DIRECTORY,      25, "a path component is not a directory")  \
	X(ERR_IS_DIRECTORY,       26, "the operation does not apply to a directory") \
	X(ERR_NOT_EMPTY,          27, "the directory is not empty")           \
	X(ERR_EXISTS,             28, "the name exists already")              \
	X(ERR_LOOP,               29, "too many symbolic links on the path")

enum err {
#define ERR_ENUM_ENTRY(name, number, text) name = number,
	ERROR_TABLE(ERR_ENUM_ENTRY)
#undef ERR_ENUM_ENTRY
	ERR_COUNT
};

/* err_name returns "ERR_BAD_ADDRESS" for ERR_BAD_ADDRESS, "ERR_UNKNOWN" for
 * a number that is not in the table. Never NULL. */
const char *err_name(int err);

/* err_text returns the one-line description of an error code. Never NULL.
 * Host tools only (lib/errors_text.c). */
const char *err_text(int err);

/* The name of a RISC-V exception, by its scause code ("load page fault"):
 * what the kernel says of a fault, and a fault message's FAULT_MR_CAUSE
 * (lib/msg.h). "unknown exception" for any other number. Never NULL. */
const char *fault_cause_name(uint64_t cause);

#endif /* MICA_ERRORS_H */
