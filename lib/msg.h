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
 *   a6 = on return from a receive: the badge of the sender's capability,
 *        or the notification bits
 * By the user library's convention, tp holds the address of the thread's
 * IPC buffer.
 */
#ifndef MICA_MSG_H
#define MICA_MSG_H

#include <stdint.h>

#define MSG_REG_WORDS 4
#define MSG_MAX_WORDS 64
#define MSG_MAX_CAPS  3

/* info word: label in bits 12..63, flags in 9..11, cap count in 7..8,
 * length in 0..6. The flags are set by the kernel only, on the way in to
 * a receiver: a sender's flag bits are ignored, so no thread can forge them. */
#define MSGINFO(label, ncaps, len) (((uint64_t)(label) << 12) | ((uint64_t)(ncaps) << 7) | (uint64_t)(len))
#define MSGINFO_LABEL(info)  ((info) >> 12)
#define MSGINFO_NCAPS(info)  (((info) >> 7) & 3)
#define MSGINFO_LENGTH(info) ((info) & 0x7f)
#define MSGINFO_FLAGS(info)  ((info) & MSGINFO_FLAG_MASK)
#define MSGINFO_FLAG_NOTIFY    (1ul << 9)   /* bound notification bits, in the badge */
#define MSGINFO_FLAG_FAULT     (1ul << 10)  /* a fault message (below) */
#define MSGINFO_FLAG_CAPS_LOST (1ul << 11)  /* caps were sent but could not land */
#define MSGINFO_FLAG_MASK      (7ul << 9)

/* A fault message, sent by the kernel for the faulting thread as a call on
 * its fault endpoint (MSGINFO_FLAG_FAULT, length 3): */
enum { FAULT_MR_CAUSE, FAULT_MR_ADDR, FAULT_MR_PC, FAULT_MSG_WORDS };
/* FAULT_MR_CAUSE is the RISC-V scause code. FAULT_MR_ADDR is stval (the
 * faulting address, or an illegal instruction's bits), or for an unknown
 * system call its number. FAULT_MR_PC is where a reply of length 0 resumes
 * the thread: the faulting instruction, to run it again; for an unknown
 * system call, the instruction after the ecall. A reply of length 1
 * resumes it at mr0 instead.
 * A thread that calls exit() while it has a fault endpoint sends a fault
 * message too: cause FAULT_CAUSE_EXIT (no scause code), addr its exit
 * status, pc after its exit call. Its supervisor destroys it; a reply would
 * resume it after the call (where the library's exit() faults). */
#define FAULT_CAUSE_EXIT 0x100

/* The IPC buffer: one page-aligned frame per thread. mr[0..3] are unused
 * (those words travel in registers) so that mr[i] is always word i.
 * To send capabilities, put their cptrs in caps[] and the count in the
 * info word (the endpoint cap needs RIGHT_GRANT). To receive them, name a
 * CNode (a cptr in your CSpace, write right) and its first empty slot: the
 * caps land in recv_slot, recv_slot + 1, ... all or none. recv_cnode = 0
 * accepts none. */
struct ipc_buffer {
	uint64_t mr[MSG_MAX_WORDS];
	uint64_t caps[MSG_MAX_CAPS];
	uint64_t recv_cnode;
	uint64_t recv_slot;
};

#endif /* MICA_MSG_H */
