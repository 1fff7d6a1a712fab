/*
 * cap_model.h - a plain model of the capability derivation tree and of
 * Untyped watermarks, for the host tests (cap_test.c), and the check that
 * holds the kernel's real tree against it.
 *
 * The model knows slots only by their place in fake RAM (a "key": the
 * slot's physical offset / 64), every object by a number, and every cap by
 * its object and its parent's key. It never looks at the kernel's links:
 * it applies the rules of cap.h in the dumbest possible way (linear scans,
 * recursion), and model_check() then compares it with the kernel's slots,
 * links, thread list and ASIDs. Rules for callers: change the model only
 * after the kernel succeeded (or would have), run model_check() after every
 * kernel operation, and start every test with model_reset().
 */
#ifndef MICA_CAP_MODEL_H
#define MICA_CAP_MODEL_H

#include "cap.h"
#include "thread.h"

#define MODEL_NONE (-1)
#define MODEL_MAX_OBJECTS 16384

struct model_obj {
	unsigned type;
	paddr_t paddr;         /* IRQHandler: its line */
	unsigned bits;         /* log2 of its bytes; 0: takes no memory */
	unsigned size_bits;    /* as its capability holds it: Untyped size, CNode radix */
	bool is_device;
	bool alive;
	int from;              /* the Untyped object it was carved from, or MODEL_NONE */
	unsigned ncaps;        /* capabilities that name it */
	uint64_t watermark;    /* Untyped: bytes retyped, as its capability's data */
};

struct model_slot {
	bool used;
	int obj;
	int parent;            /* key of the parent's slot, MODEL_NONE for a root */
	uint8_t rights;
	uint64_t badge;        /* Endpoint, Notification */
};

/* Forget everything; `caller` is the thread the tests call as. */
void model_reset(struct thread *caller);

int model_key(const struct cte *c);           /* MODEL_NONE if c is not in fake RAM */
struct cte *model_cte(int key);
struct model_slot *model_slot(int key);
struct model_obj *model_obj(int id);
/* The slot `index` of CNode object `cnode`. */
int model_cnode_key(int cnode, uint64_t index);

/* A new live object; fails the test if its memory overlaps a live object
 * other than the Untypeds it was carved from. Returns its number. */
int model_new_object(unsigned type, paddr_t paddr, unsigned size_bits, bool is_device, int from);
/* A new capability in the empty slot `key` (cap_insert). */
void model_insert(int key, int obj, unsigned rights, uint64_t badge, int parent);
/* Copy or mint: a child of src in dest, with src's rights & rights. */
void model_derive(int dest, int src, unsigned rights, uint64_t badge);
void model_move(int dest, int src);
/* thread_hold(): t's held slots become copies of the slots in src
 * (MODEL_NONE: none); a TCB's destruction deletes them. */
void model_hold(const struct thread *t, const int src[THREAD_HELD_COUNT]);
/* Delete one capability (nothing if empty): its children go to its parent;
 * the last capability takes the object, and a CNode's contents, with it. */
void model_delete(int key);
/* Delete every descendant of key; a revoked Untyped is whole again. */
void model_revoke(int key);
bool model_has_children(int key);
/* The live object of `type` at paddr, or MODEL_NONE; how many of `type` live. */
int model_find_live(unsigned type, paddr_t paddr);
unsigned model_live_count(unsigned type);

/* Every step so far as the kernel did it; fails the test otherwise. what
 * names the step in the failure message. */
void model_check(const char *what);

/* Counters, for tests that want to see the model did something. */
unsigned model_objects_destroyed(void);
unsigned model_cnodes_drained(void);     /* destroyed while holding capabilities */
unsigned model_caps_used(void);

#endif /* MICA_CAP_MODEL_H */
