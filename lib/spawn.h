/*
 * spawn.h - building address spaces and threads out of capabilities, for
 * programs that make others: root, and the tests that play root.
 *
 * A spawn_pool is a source of objects: one Untyped to carve from and a run
 * of empty slots in the caller's own CNode to put them in. Nothing here
 * keeps state beyond the pool; revoking the pool's Untyped gives back every
 * object made from it, all at once. Every function returns an error code
 * (errors.h), and on failure leaves behind at most objects it made.
 */
#ifndef MICA_SPAWN_H
#define MICA_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "objects.h"

struct spawn_pool {
	cptr_t cnode;        /* the caller's own CNode (its CSpace root) */
	cptr_t untyped;      /* objects are retyped from here */
	cptr_t next_slot;    /* the next empty slot of cnode to fill */
	cptr_t end_slot;     /* one past the last slot the pool may fill */
	/* For spawn_program only: the caller's own VSpace and a free page of
	 * its address space to fill new pages through. */
	cptr_t self_vspace;
	uint64_t scratch;
};

/* For a program that plays root: carve a 2^bits-byte Untyped out of the
 * biggest RAM Untyped in the boot info, into the first free slot, and make
 * *pool of it and every slot after it; self_vspace is root's VSpace and
 * scratch the page at bi->free_vaddr + scratch_offset. */
int spawn_pool_init(struct spawn_pool *pool, const struct bootinfo *bi, unsigned bits,
		    uint64_t scratch_offset);
/* Retype one object into the pool's next slot and put its slot in *slot. */
int spawn_object(struct spawn_pool *pool, unsigned type, unsigned size_bits, cptr_t *slot);
/* Map frame at vaddr in vspace with MAP_* rights, making (from the pool)
 * whatever page tables are missing. */
int spawn_map(struct spawn_pool *pool, cptr_t vspace, cptr_t frame, uint64_t vaddr, unsigned rights);
/* A fresh zeroed frame from the pool, mapped at vaddr in vspace. */
int spawn_map_new(struct spawn_pool *pool, cptr_t vspace, uint64_t vaddr, unsigned rights,
		  cptr_t *frame);
/* Load the ELF executable [elf, elf+size) into vspace: each page is a new
 * frame, filled through the page at `scratch` of the caller's own address
 * space (self_vspace), then mapped with the segment's rights. */
int spawn_load_elf(struct spawn_pool *pool, cptr_t vspace, cptr_t self_vspace, uint64_t scratch,
		   const void *elf, size_t size, uint64_t *entry);

/* A program started by spawn_program(): the caps to its objects, in the
 * pool's slots of the caller's CNode. */
struct spawned {
	cptr_t cnode, tcb, vspace, ipc_frame, stack_frame;
};

/* Where spawn_program() puts things in the new address space. */
#define SPAWN_STACK_TOP 0x80000000ul   /* one page of stack below this */
#define SPAWN_IPC       0x40000000ul   /* the IPC buffer (tp points here) */

/* Start the boot-image program `name` in a new address space made from
 * the pool: a CNode of 2^radix slots (its CSpace; slot 1 onwards are free
 * for the caller to fill before the program needs them), a TCB at
 * `priority` with fault endpoint `fault_ep` (a cptr in the new CSpace, or
 * CPTR_NULL), the program's pages, a stack page and an IPC buffer. The
 * program starts at its entry with a0 = arg once the caller resumes
 * p->tcb (tcb_resume): spawn_program does not resume it. The pool needs
 * self_vspace and scratch; bootimg and bootimg_size come from the boot
 * info. ERR_NOT_FOUND if the image has no such program. */
int spawn_program(struct spawn_pool *pool, struct spawned *p, const void *bootimg,
		  size_t bootimg_size, const char *name, unsigned radix, cptr_t fault_ep,
		  unsigned priority, uint64_t arg);

/* Make (not resume) a second thread of the caller's own address space and
 * CSpace that runs fn(arg0, arg1) at `priority`, named `name`: its stack is the
 * page below stack_top, its IPC buffer the page at ipc_vaddr (both fresh
 * frames from the pool, mapped in self_vspace), its fault endpoint
 * fault_ep (a cptr of the caller's CSpace, or CPTR_NULL). The thread
 * shares the caller's globals (gp); fn must never return. */
int spawn_thread(struct spawn_pool *pool, void (*fn)(uint64_t, uint64_t), uint64_t arg0,
		 uint64_t arg1, unsigned priority, const char *name, uint64_t stack_top, uint64_t ipc_vaddr, cptr_t fault_ep,
		 cptr_t *tcb);

#endif /* MICA_SPAWN_H */
