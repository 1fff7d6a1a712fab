/*
 * crash - do, on purpose, each bad thing a student's program might do, and
 * show that each one ends only the process that does it.
 *
 * `crash` runs every case in a child of its own, waits for it and prints
 * one line per case, then checks that the system still works (it can fork)
 * and ends with "crash: all N cases ended only themselves". `crash NAME`
 * does case NAME in this very process, to watch from the shell how a fault
 * ends a program. A case either faults (the process must be killed: it
 * never reaches the code after the bad act) or asks for too much (the
 * system must refuse, and the process goes on). `crash loop` is the bug
 * nothing catches, an endless loop, which only Ctrl-C or kill ends; it is
 * not among the cases `crash` runs.
 */
#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

#define SURVIVED 2   /* exit status of a case whose bad act did not fault */

enum outcome { FAULTS, REFUSED };

/* volatile, so the compiler keeps every bad access it is told to make. */
static volatile int sink;

static void read_null(void)
{
	sink = *(volatile int *)0;
}

static void write_null(void)
{
	*(volatile int *)0 = 1;
}

static void read_wild(void)
{
	sink = *(volatile int *)0x4000000000ul;   /* far above any mapping */
}

static void read_kernel(void)
{
	sink = *(volatile int *)0xffffffc080200000ul;   /* the kernel's text */
}

static void write_text(void)
{
	*(volatile uint *)(uint64)write_text = 0;
}

static void jump_null(void)
{
	void (*volatile fn)(void) = 0;

	fn();
}

static void illegal_instruction(void)
{
	__asm__ volatile("unimp");
}

/* Recurse far deeper than any stack; the limit is volatile so the compiler
 * can neither see that it is never reached nor turn this into a loop. */
static volatile int recurse_limit = 1 << 30;

static int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == recurse_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
	sink = recurse(0);
}

/* Every process forks as long as it can, eight levels deep (up to 256
 * processes, more than NPROC), then waits for its children. The system
 * must refuse forks when it is full and recover when they have ended. */
static void fork_bomb(void)
{
	int children = 0;

	for (int level = 0; level < 8; level++) {
		int pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			children = 0;
			continue;
		}
		children++;
	}
	while (children-- > 0)
		wait(0);
}

/* Grow the heap a megabyte at a time, touching every page, until sbrk()
 * says no: it must, before the machine's memory runs out. */
static void sbrk_past_memory(void)
{
	for (int mb = 0; mb < 4096; mb++) {
		char *p = sbrk(1 << 20);

		if (p == (char *)-1) {
			printf("crash: sbrk refused after %d MiB\n", mb);
			return;
		}
		for (int off = 0; off < (1 << 20); off += 4096)
			p[off] = 1;
	}
	printf("crash: sbrk gave 4 GiB, more than the machine has\n");
	exit(SURVIVED);
}

struct crash_case {
	const char *name;
	void (*act)(void);
	enum outcome outcome;
};

static const struct crash_case cases[] = {
	{ "null-read", read_null, FAULTS },
	{ "null-write", write_null, FAULTS },
	{ "wild-read", read_wild, FAULTS },
	{ "kernel-read", read_kernel, FAULTS },
	{ "text-write", write_text, FAULTS },
	{ "null-jump", jump_null, FAULTS },
	{ "illegal", illegal_instruction, FAULTS },
	{ "stack", stack_overflow, FAULTS },
	{ "forkbomb", fork_bomb, REFUSED },
	{ "sbrk", sbrk_past_memory, REFUSED },
};
#define NCASES (int)(sizeof(cases) / sizeof(cases[0]))

/* Do case c in this process; returns only if the process survived it. */
static void crash_do(const struct crash_case *c)
{
	c->act();
	if (c->outcome == FAULTS) {
		printf("crash: %s did not fault\n", c->name);
		exit(SURVIVED);
	}
}

/* Run case c in a child and say how it ended. Returns 1 if as expected. */
static int crash_run(const struct crash_case *c)
{
	int status = 0;
	int pid = fork();

	if (pid < 0) {
		printf("crash: %s: cannot fork\n", c->name);
		return 0;
	}
	if (pid == 0) {
		crash_do(c);
		exit(0);
	}
	if (wait(&status) != pid) {
		printf("crash: %s: wait failed\n", c->name);
		return 0;
	}
	if (c->outcome == FAULTS && status != 0 && status != SURVIVED) {
		printf("crash: %s: killed (status %d)\n", c->name, status);
		return 1;
	}
	if (c->outcome == REFUSED && status == 0) {
		printf("crash: %s: refused, exited normally\n", c->name);
		return 1;
	}
	printf("crash: %s: FAILED (status %d)\n", c->name, status);
	return 0;
}

/* crash loop: say so, then spin until Ctrl-C or kill ends the process. */
static void endless_loop(void)
{
	printf("crash: looping forever; Ctrl-C ends me\n");
	for (;;)
		sink++;
}

int main(int argc, char *argv[])
{
	int ok = 0, pid;

	if (argc == 2 && strcmp(argv[1], "loop") == 0)
		endless_loop();

	if (argc == 2) {
		for (int i = 0; i < NCASES; i++) {
			if (strcmp(argv[1], cases[i].name) == 0) {
				crash_do(&cases[i]);
				exit(0);
			}
		}
	}
	if (argc >= 2) {
		fprintf(2, "usage: crash [case]; the cases:");
		for (int i = 0; i < NCASES; i++)
			fprintf(2, " %s", cases[i].name);
		fprintf(2, "; and loop\n");
		exit(1);
	}
	for (int i = 0; i < NCASES; i++)
		ok += crash_run(&cases[i]);
	/* The system must still work: one more child, and it comes back. */
	pid = fork();
	if (pid == 0)
		exit(0);
	if (pid < 0 || wait(0) != pid) {
		printf("crash: FAILED: the system cannot fork any more\n");
		exit(1);
	}
	if (ok != NCASES) {
		printf("crash: FAILED: %d of %d cases\n", NCASES - ok, NCASES);
		exit(1);
	}
	printf("crash: all %d cases ended only themselves\n", NCASES);
	exit(0);
}
