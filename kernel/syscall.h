/*
 * syscall.h - system call dispatch.
 *
 * syscall_dispatch() decodes the call in the thread's saved registers (a7 =
 * number, a0..a5 = arguments), runs it, and writes the result back (a0 =
 * error code, a1 = value) unless the thread now waits. It returns false
 * for a number that is no system call: that is a fault, the trap code's
 * business. Nothing a thread passes can make it panic.
 */
#ifndef MICA_SYSCALL_H
#define MICA_SYSCALL_H

#include "thread.h"

bool syscall_dispatch(struct thread *t);

#endif /* MICA_SYSCALL_H */
