/*
 * bench_shared.h - what bench.c and bench_server.c agree on.
 */
#ifndef MICA_BENCH_SHARED_H
#define MICA_BENCH_SHARED_H

enum bench_mode {
	BENCH_ECHO = 1,
	BENCH_PAGER_CHILD,
};

/* The page the pager child touches, and root maps and unmaps. */
#define BENCH_PAGER_VADDR 0x50000000ul

/* Badges on root's endpoint: who is talking. */
#define BENCH_BADGE_FAULT 1
#define BENCH_BADGE_DONE  2

#endif /* MICA_BENCH_SHARED_H */
