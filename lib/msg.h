/*
 * msg.h - how a message travels: the info word, message registers and the
 * IPC buffer (DESIGN §4.3). Shared by the kernel and the user library.
 *
 * A message is an info word (label, length in words, number of capabilities)
 * and up to MSG_MAX_WORDS message registers. The first MSG_REG_WORDS travel
 * in machine registers; the rest sit in the thread's IPC buffer, a frame the
 * thread's TCB names (tcb_configure). Registers at `ecall`:
 *   a7 = system call number (syscalls.h)
 *   a0 = capability address   -> on return: error code (errors.h)
 *   a1 = info word            -> on return: info word of the reply
 *   a2..a5 = message registers 0..3 (both ways)
 * By the user library's convention, tp holds the address of the thread's
 * IPC buffer.
 */
#ifndef MICA_MSG_H
#define MICA_MSG_H

#include <stdint.h>

#define MSG_REG_WORDS 4
#define MSG_MAX_WORDS 64

/* info word: label in bits 12..63, cap count in bits 7..8, length in 0..6 */
#define MSGINFO(label, ncaps, len) (((uint64_t)(label) << 12) | ((uint64_t)(ncaps) << 7) | (uint64_t)(len))
#define MSGINFO_LABEL(info)  ((info) >> 12)
#define MSGINFO_NCAPS(info)  (((info) >> 7) & 3)
#define MSGINFO_LENGTH(info) ((info) & 0x7f)

/* The IPC buffer: one page-aligned frame per thread. mr[0..3] are unused
 * (those words travel in registers) so that mr[i] is always word i. */
struct ipc_buffer {
	uint64_t mr[MSG_MAX_WORDS];
};

#endif /* MICA_MSG_H */
