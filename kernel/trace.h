/*
 * trace.h - the IPC trace of `make trace` (docs/tracing.md). A kernel built
 * with MICA_TRACE (build/trace/, kernel/trace.c) records each message it
 * delivers: sender, receiver, label, badge and the instruction count, and
 * prints the record when it powers off. In every other build these are
 * empty inline functions: the hooks on the IPC paths cost nothing. Call
 * trace_ipc() where a message is written into its receiver, once per message.
 */
#ifndef MICA_TRACE_H
#define MICA_TRACE_H

#include "thread.h"

#ifdef MICA_TRACE
void trace_ipc(const struct thread *src, const struct thread *dst, uint64_t badge);
void trace_dump(void);
#else
static inline void trace_ipc(const struct thread *src, const struct thread *dst, uint64_t badge)
{
	(void)src, (void)dst, (void)badge;
}
static inline void trace_dump(void) {}
#endif

#endif /* MICA_TRACE_H */
