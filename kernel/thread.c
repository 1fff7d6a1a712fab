/*
 * thread.c - the threads boot started, and round-robin among them.
 *
 * This is deliberately the smallest scheduler that is honest: a fixed table
 * of threads, the current one runs until it yields, exits or faults, and
 * when none is left the kernel says why and powers off (that is how a test
 * run ends by itself). Priorities, blocking and time slices come with IPC.
 */
#include "thread.h"
#include "clock.h"
#include "errors.h"
#include "printk.h"
#include "str.h"

static struct thread *threads[THREAD_MAX];
static unsigned nthreads;
static unsigned current_index;
static bool move_on;           /* sched_yield() was called */

int thread_start(struct thread *t, const char *name)
{
	if (nthreads == THREAD_MAX)
		return ERR_RANGE;
	str_copy(t->name, name, sizeof(t->name));
	t->state = THREAD_RUNNABLE;
	t->exit_status = 0;
	threads[nthreads++] = t;
	return ERR_OK;
}

struct thread *thread_current(void)
{
	ASSERT(nthreads > 0);
	return threads[current_index];
}

void thread_exit(struct thread *t, int status)
{
	t->state = THREAD_EXITED;
	t->exit_status = status;
	kprintf("mica: thread %s exited with status %d\n", t->name, status);
}

void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc)
{
	t->state = THREAD_KILLED;
	kprintf("mica: thread %s killed: %s at address %p, pc %p\n",
		t->name, what, (void *)addr, (void *)pc);
}

void sched_yield(void)
{
	move_on = true;
}

/* Every thread has ended: report, and end the run. A run fails unless every
 * thread exited with status 0. */
static void sched_all_done(void)
{
	bool failure = false;
	unsigned i;

	for (i = 0; i < nthreads; i++)
		if (threads[i]->state != THREAD_EXITED || threads[i]->exit_status != 0)
			failure = true;
	kprintf("mica: no threads left (%lu timer interrupts); powering off\n",
		clock_interrupts());
	arch_poweroff(failure);
}

void sched_resume(void)
{
	unsigned step;

	for (step = 0; nthreads > 0 && step <= nthreads; step++) {
		unsigned i = (current_index + step + (move_on ? 1 : 0)) % nthreads;

		if (threads[i]->state == THREAD_RUNNABLE) {
			move_on = false;
			current_index = i;
			arch_enter_user(&threads[i]->regs, &threads[i]->vspace);
		}
	}
	sched_all_done();
	panic("sched_resume: poweroff returned");
}
