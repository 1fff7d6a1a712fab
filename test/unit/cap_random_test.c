/*
 * cap_random_test.c - long random sequences of retype, copy, mint, move,
 * delete, revoke, describe and IRQ claims, made through invoke_call() as
 * user space makes them, over a CSpace of 511 slots and the small CNodes
 * retype puts in it. After every step the kernel is held against the
 * model (cap_model.c): each call's error code is one the rules predict and
 * a refused call changes nothing; every capability's parent is live;
 * revoke leaves no descendant; the last capability to an object takes the
 * object along (CNode emptied, TCB off the thread list, ASID and IRQ line
 * free again); retype places objects exactly where the watermark rule says
 * and never on memory a live object still uses. The seeds are fixed: a
 * failure names its seed and step and replays exactly.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "cap_model.h"
#include "cap_world.h"
#include "errors.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */
#include "vspace.h"

#define STEPS 3000
#define RADIX 9
#define E(err) (1u << (err))

enum { OP_RETYPE, OP_COPY, OP_MINT, OP_MOVE, OP_DELETE, OP_REVOKE, OP_DESCRIBE, OP_IRQ, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
	"retype", "copy", "mint", "move", "delete", "revoke", "describe", "irq_get",
};

static uint64_t rng_state;
static uint64_t last_cnode, last_slot;     /* where the last new capability went */
static unsigned ok_count[OP_COUNT], refused_count[OP_COUNT];
static char what[200];

/* xorshift64*: small, and the same sequence on every host. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dul;
}

static uint64_t below(uint64_t n)
{
	return rng() % n;
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* --- what the model says ---------------------------------------------------- */

/* The model's capability in CSpace slot cptr, or NULL. */
static const struct model_slot *cspace_cap(uint64_t cptr)
{
	const struct model_slot *s;

	if (cptr == 0 || cptr >= (1ul << RADIX))
		return NULL;
	s = model_slot(world_key(cptr));
	return s->used ? s : NULL;
}

static unsigned cap_type(const struct model_slot *s)
{
	return model_obj(s->obj)->type;
}

static bool key_used(int key)
{
	return key != MODEL_NONE && model_slot(key)->used;
}

/* The boot capabilities stay where they are: the tests need them. */
static bool key_protected(int key)
{
	return key == world_key(SLOT_CNODE) || key == world_key(SLOT_UT) ||
	       key == world_key(SLOT_IRQ);
}

/* Bytes (log2) of an object, or -1: from the numbers in objects.h, by hand. */
static int want_bits(uint64_t type, uint64_t size)
{
	if (size >= 64)
		return -1;
	switch (type) {
	case OBJ_UNTYPED:      return size >= 5 && size <= 38 ? (int)size : -1;
	case OBJ_CNODE:        return size >= 1 && size <= 16 ? (int)size + 6 : -1;
	case OBJ_TCB:          return 10;
	case OBJ_ENDPOINT:     return 5;
	case OBJ_NOTIFICATION: return 6;
	case OBJ_FRAME:        return 12;
	case OBJ_PAGE_TABLE:   return 12;
	case OBJ_VSPACE:       return 12;
	default:               return -1;
	}
}

/* invoke_call()'s own refusals, before the object's code runs (an
 * endpoint has no invocations: sys_call() sends IPC there first). */
static unsigned expect_invoked(uint64_t cptr, unsigned type)
{
	const struct model_slot *s = cspace_cap(cptr);

	if (s == NULL)
		return E(ERR_INVALID_CAP);
	return cap_type(s) == type ? 0 : E(ERR_INVALID_OPERATION);
}

/* The slot (CNode capability at cptr, index), needing `rights` on the
 * CNode: its key (MODEL_NONE if there is none), and the errors naming it
 * earns. When a call has several faults, the kernel may report any one. */
static unsigned expect_slot(uint64_t cptr, uint64_t index, unsigned rights, int *key)
{
	const struct model_slot *s = cspace_cap(cptr);
	unsigned errs = 0;

	*key = MODEL_NONE;
	if (s == NULL || cap_type(s) != OBJ_CNODE)
		return E(ERR_INVALID_CAP);
	if ((s->rights & rights) != rights)
		errs |= E(ERR_NO_RIGHTS);
	if (index == 0 || index >= (1ul << model_obj(s->obj)->size_bits))
		return errs | E(ERR_RANGE);
	*key = model_cnode_key(s->obj, index);
	return errs;
}

/* The kernel's answer err against the model's errs (0: must succeed). */
static void expect(unsigned op, unsigned errs, int err)
{
	if (errs == 0)
		cr_assert_eq(err, ERR_OK, "%s: got %s, want ERR_OK", what, err_name(err));
	else
		cr_assert(err > ERR_OK && err < 32 && (errs & E(err)),
			  "%s: got %s, want one of the errors %#x", what, err_name(err), errs);
	if (err == ERR_OK)
		ok_count[op]++;
	else
		refused_count[op]++;
}

/* --- choosing arguments --------------------------------------------------- */

/* A CSpace slot holding a capability of `type`: `usual` most of the time,
 * a random one of that type otherwise, and now and then any slot at all. */
static uint64_t pick_cap(unsigned type, uint64_t usual, unsigned usual_percent)
{
	static uint64_t found[1u << RADIX];
	unsigned n = 0;
	uint64_t i;

	if (chance(4))
		return below((1u << RADIX) + 4);
	if (chance(usual_percent))
		return usual;
	for (i = 1; i < (1u << RADIX); i++)
		if (cspace_cap(i) && cap_type(cspace_cap(i)) == type)
			found[n++] = i;
	return n ? found[below(n)] : usual;
}

/* An index in the CNode at cptr: mostly one that is used (or empty), as
 * asked; sometimes any, slot 0 and past the end included. */
static uint64_t pick_index(uint64_t cnode, bool used)
{
	static uint64_t found[1u << CNODE_MAX_RADIX];
	const struct model_slot *s = cspace_cap(cnode);
	uint64_t size, i, n = 0;

	if (s == NULL || cap_type(s) != OBJ_CNODE)
		return below(1u << RADIX);
	size = 1ul << model_obj(s->obj)->size_bits;
	if (chance(8))
		return below(size + 2);
	for (i = 1; i < size; i++)
		if (model_slot(model_cnode_key(s->obj, i))->used == used)
			found[n++] = i;
	return n ? found[below(n)] : below(size + 2);
}

/* --- the steps ------------------------------------------------------------- */

static unsigned expect_retype(uint64_t ut, uint64_t type, uint64_t size, uint64_t cnode,
			      uint64_t first, uint64_t count, uint64_t *start)
{
	unsigned errs = expect_invoked(ut, OBJ_UNTYPED);
	int bits = want_bits(type, size), key;
	const struct model_obj *uo;
	uint64_t i, end;

	if (errs)
		return errs;
	uo = model_obj(cspace_cap(ut)->obj);
	if (bits < 0)
		errs |= E(ERR_INVALID_ARGUMENT);
	if (uo->is_device && type != OBJ_FRAME && type != OBJ_UNTYPED)
		errs |= E(ERR_INVALID_ARGUMENT);
	if (type == OBJ_UNTYPED && size >= uo->size_bits)
		errs |= E(ERR_INVALID_ARGUMENT);     /* a part is smaller than the whole */
	if (count == 0)
		errs |= E(ERR_INVALID_ARGUMENT);
	for (i = 0; i < count; i++) {
		errs |= expect_slot(cnode, first + i, RIGHT_WRITE, &key);
		if (key_used(key))
			errs |= E(ERR_SLOT_OCCUPIED);
	}
	if (type == OBJ_VSPACE && ASID_COUNT - 1 - model_live_count(OBJ_VSPACE) < count)
		errs |= E(ERR_NO_MEMORY);
	if (bits >= 0) {
		*start = model_has_children(world_key(ut)) ? uo->watermark : 0;
		*start = (*start + (1ul << bits) - 1) & ~((1ul << bits) - 1);
		end = *start + (count << bits);
		if ((unsigned)bits > uo->size_bits || end > (1ul << uo->size_bits))
			errs |= E(ERR_NO_MEMORY);
	}
	return errs;
}

static void step_retype(void)
{
	static const uint64_t bad[][2] = {
		{ OBJ_NULL, 0 }, { OBJ_IRQ_CONTROL, 0 }, { OBJ_IRQ_HANDLER, 0 },
		{ OBJ_TYPE_COUNT, 0 }, { (1ul << 32) + OBJ_ENDPOINT, 0 },
		{ OBJ_CNODE, 0 }, { OBJ_CNODE, 17 }, { OBJ_CNODE, (1ul << 32) + 2 },
		{ OBJ_UNTYPED, 4 }, { OBJ_UNTYPED, 39 },
	};
	uint64_t ut = pick_cap(OBJ_UNTYPED, SLOT_UT, 60);
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 60);
	uint64_t type, size = 0, first, count = chance(3) ? 0 : 1 + below(3), start = 0, i;
	unsigned r = (unsigned)below(100), errs;
	const struct model_slot *u = cspace_cap(ut);
	int err;

	if (r < 25) {
		type = OBJ_ENDPOINT;
	} else if (r < 38) {
		type = OBJ_NOTIFICATION;
	} else if (r < 53) {
		type = OBJ_CNODE, size = 1 + below(4);
	} else if (r < 61) {
		type = OBJ_TCB;
	} else if (r < 73) {
		type = OBJ_FRAME;
	} else if (r < 77) {
		type = OBJ_PAGE_TABLE;
	} else if (r < 81) {
		type = OBJ_VSPACE;
	} else if (r < 93) {
		type = OBJ_UNTYPED, size = 8 + below(6);
	} else {
		r = (unsigned)below(ARRAY_SIZE(bad));
		type = bad[r][0], size = bad[r][1];
	}
	first = pick_index(cnode, false);
	snprintf(what, sizeof(what),
		 "retype(ut %lu, type %#lx, size %#lx, cnode %lu, first %lu, count %lu)",
		 ut, type, size, cnode, first, count);
	errs = expect_retype(ut, type, size, cnode, first, count, &start);
	err = world_retype(ut, type, size, cnode, first, count);
	expect(OP_RETYPE, errs, err);
	if (err != ERR_OK)
		return;
	last_cnode = cnode, last_slot = first;
	for (i = 0; i < count; i++) {
		struct model_obj *uo = model_obj(u->obj);
		unsigned bits = (unsigned)want_bits(type, size);
		paddr_t pa = uo->paddr + start + (i << bits);
		int key, id;

		expect_slot(cnode, first + i, RIGHT_WRITE, &key);
		id = model_new_object((unsigned)type, pa,
				      type == OBJ_UNTYPED || type == OBJ_CNODE ? (unsigned)size : 0,
				      uo->is_device, u->obj);
		model_insert(key, id, RIGHTS_ALL, 0, world_key(ut));
		uo->watermark = start + ((i + 1) << bits);
		/* New objects start from zeroed memory, even where older ones lived. */
		if (!uo->is_device && (type == OBJ_ENDPOINT || type == OBJ_NOTIFICATION ||
				       type == OBJ_FRAME || type == OBJ_PAGE_TABLE)) {
			static const uint8_t zero[PAGE_SIZE];

			cr_assert(memcmp(pa_to_kva(pa), zero, 1ul << bits) == 0,
				  "%s: object %lu at %#lx is not zeroed", what, i, pa);
		}
	}
}

static void step_derive(bool mint)
{
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 50), slot = pick_index(cnode, false);
	uint64_t src_cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 60);
	uint64_t src_slot = pick_index(src_cnode, true);
	uint64_t rights = chance(80) ? RIGHTS_ALL : below(8);
	uint64_t badge = mint && chance(75) ? 1 + below(1000) : 0;
	unsigned errs;
	int dest = MODEL_NONE, src = MODEL_NONE, err;

	if (chance(35))
		src_cnode = last_cnode, src_slot = last_slot;   /* grow long chains of copies */
	errs = expect_invoked(cnode, OBJ_CNODE);
	snprintf(what, sizeof(what),
		 "%s(cnode %lu, slot %lu, src cnode %lu, src slot %lu, rights %lu, badge %lu)",
		 mint ? "mint" : "copy", cnode, slot, src_cnode, src_slot, rights, badge);
	if (errs == 0) {
		errs |= expect_slot(cnode, slot, RIGHT_WRITE, &dest);
		errs |= expect_slot(src_cnode, src_slot, RIGHT_READ, &src);
		if (src != MODEL_NONE && !key_used(src))
			errs |= E(ERR_INVALID_CAP);
		if (key_used(dest))
			errs |= E(ERR_SLOT_OCCUPIED);
	}
	if (key_used(src)) {
		const struct model_slot *s = model_slot(src);
		unsigned type = cap_type(s);

		if (type == OBJ_UNTYPED || type == OBJ_IRQ_CONTROL || type == OBJ_PAGE_TABLE)
			errs |= E(ERR_INVALID_OPERATION);
		if (badge && type != OBJ_ENDPOINT && type != OBJ_NOTIFICATION)
			errs |= E(ERR_INVALID_ARGUMENT);
		else if (badge && s->badge != 0)
			errs |= E(ERR_IN_USE);
	}
	err = mint ? world_mint(cnode, slot, src_cnode, src_slot, rights, badge)
		   : world_copy(cnode, slot, src_cnode, src_slot, rights);
	expect(mint ? OP_MINT : OP_COPY, errs, err);
	if (err == ERR_OK) {
		model_derive(dest, src, (unsigned)rights & RIGHTS_ALL, badge);
		last_cnode = cnode, last_slot = slot;
	}
}

static void step_move(void)
{
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 60), slot = pick_index(cnode, false);
	uint64_t src_cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 75);
	uint64_t src_slot = pick_index(src_cnode, true);
	unsigned errs;
	int dest = MODEL_NONE, src = MODEL_NONE, err;

	if (chance(3))
		cnode = src_cnode, slot = src_slot;     /* onto itself */
	snprintf(what, sizeof(what), "move(cnode %lu, slot %lu, src cnode %lu, src slot %lu)",
		 cnode, slot, src_cnode, src_slot);
	errs = expect_invoked(cnode, OBJ_CNODE);
	if (errs == 0) {
		errs |= expect_slot(cnode, slot, RIGHT_WRITE, &dest);
		errs |= expect_slot(src_cnode, src_slot, RIGHT_WRITE, &src);
		if (src != MODEL_NONE && !key_used(src))
			errs |= E(ERR_INVALID_CAP);
		if (key_used(dest) && dest != src)
			errs |= E(ERR_SLOT_OCCUPIED);
	}
	if (errs == 0 && key_protected(src) && dest != src)
		return;
	err = world_move(cnode, slot, src_cnode, src_slot);
	expect(OP_MOVE, errs, err);
	if (err == ERR_OK)
		model_move(dest, src);
}

/* delete and revoke */
static void step_remove(bool revoke)
{
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 65);
	uint64_t slot = revoke && chance(2) ? SLOT_UT : pick_index(cnode, chance(90));
	unsigned errs;
	int key = MODEL_NONE, err;

	if (slot == SLOT_UT)
		cnode = SLOT_CNODE;
	snprintf(what, sizeof(what), "%s(cnode %lu, slot %lu)", revoke ? "revoke" : "delete",
		 cnode, slot);
	errs = expect_invoked(cnode, OBJ_CNODE);
	if (errs == 0)
		errs |= expect_slot(cnode, slot, RIGHT_WRITE, &key);
	if (revoke && key != MODEL_NONE && !key_used(key))
		errs |= E(ERR_INVALID_CAP);
	/* Revoking the CSpace cap would delete the copy the caller holds. */
	if (errs == 0 && key_protected(key) && (!revoke || key == world_key(SLOT_CNODE)))
		return;
	err = revoke ? world_revoke(cnode, slot) : world_delete(cnode, slot);
	expect(revoke ? OP_REVOKE : OP_DELETE, errs, err);
	if (err != ERR_OK)
		return;
	if (revoke) {
		model_revoke(key);
		if (key_used(key))
			cr_assert_null(model_cte(key)->first_child, "%s: a descendant is left",
				       what);
	} else {
		model_delete(key);
	}
}

static void step_describe(void)
{
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 70), slot = pick_index(cnode, chance(80));
	uint64_t out[5], want[5] = { 0 };
	unsigned errs = expect_invoked(cnode, OBJ_CNODE);
	int key = MODEL_NONE, err;

	snprintf(what, sizeof(what), "describe(cnode %lu, slot %lu)", cnode, slot);
	if (errs == 0)
		errs |= expect_slot(cnode, slot, RIGHT_READ, &key);
	err = world_describe(cnode, slot, out);
	expect(OP_DESCRIBE, errs, err);
	if (err != ERR_OK)
		return;
	if (key_used(key)) {
		const struct model_slot *s = model_slot(key);
		const struct model_obj *o = model_obj(s->obj);

		want[0] = o->type;
		want[1] = s->rights;
		want[2] = o->type == OBJ_UNTYPED ? o->watermark : s->badge;
		want[3] = o->type == OBJ_UNTYPED || o->type == OBJ_CNODE ? o->size_bits : 0;
		want[4] = o->paddr;
	}
	cr_assert_arr_eq(out, want, sizeof(out),
			 "%s: type %lu rights %lu data %lu size %lu paddr %#lx",
			 what, out[0], out[1], out[2], out[3], out[4]);
}

static void step_irq(void)
{
	uint64_t irq = pick_cap(OBJ_IRQ_CONTROL, SLOT_IRQ, 90), line = below(WORLD_IRQ_LINES + 2);
	uint64_t cnode = pick_cap(OBJ_CNODE, SLOT_CNODE, 70), slot = pick_index(cnode, false);
	unsigned errs = expect_invoked(irq, OBJ_IRQ_CONTROL);
	int key = MODEL_NONE, err, id;

	snprintf(what, sizeof(what), "irq_get(irq %lu, line %lu, cnode %lu, slot %lu)", irq, line,
		 cnode, slot);
	if (errs == 0) {
		if (line == 0 || line > WORLD_IRQ_LINES)
			errs |= E(ERR_INVALID_ARGUMENT);
		else if (model_find_live(OBJ_IRQ_HANDLER, line) != MODEL_NONE)
			errs |= E(ERR_IN_USE);
		errs |= expect_slot(cnode, slot, RIGHT_WRITE, &key);
		if (key_used(key))
			errs |= E(ERR_SLOT_OCCUPIED);
	}
	err = world_call(irq, INV_IRQ_CONTROL_GET, 3, (uint64_t[]){ line, cnode, slot });
	expect(OP_IRQ, errs, err);
	if (err != ERR_OK)
		return;
	id = model_new_object(OBJ_IRQ_HANDLER, line, 0, false, MODEL_NONE);
	model_insert(key, id, RIGHTS_ALL, 0, world_key(irq));
}

static void step(void)
{
	unsigned r = (unsigned)below(100);

	/* Lean towards deleting when the CSpace fills up. */
	if (model_caps_used() > 300 && r < 30)
		r = 70;
	if (r < 20)
		step_retype();
	else if (r < 44)
		step_derive(false);
	else if (r < 54)
		step_derive(true);
	else if (r < 66)
		step_move();
	else if (r < 81)
		step_remove(false);
	else if (r < 88)
		step_remove(true);
	else if (r < 95)
		step_describe();
	else
		step_irq();
}

static void run(uint64_t seed)
{
	char where[sizeof(what) + 40];
	unsigned i;

	rng_state = seed;
	last_cnode = SLOT_CNODE, last_slot = SLOT_UT;
	world_init(RADIX, WORLD_UT_PA, WORLD_UT_BITS, false);
	model_check("start");
	for (i = 0; i < STEPS; i++) {
		what[0] = '\0';
		step();
		snprintf(where, sizeof(where), "seed %lu step %u: %s", seed, i, what);
		model_check(where);
	}
	/* Not vacuous: every operation succeeded and failed many times, and
	 * objects died, CNodes holding capabilities among them. */
	for (i = 0; i < OP_COUNT; i++)
		cr_assert(ok_count[i] >= 20 && refused_count[i] >= 5,
			  "seed %lu: %s succeeded %u times, was refused %u times",
			  seed, op_names[i], ok_count[i], refused_count[i]);
	cr_assert_geq(model_objects_destroyed(), 300, "seed %lu: %u objects destroyed", seed,
		      model_objects_destroyed());
	cr_assert_geq(model_cnodes_drained(), 5, "seed %lu: %u CNodes drained", seed,
		      model_cnodes_drained());
}

ParameterizedTestParameters(cap_random, sequences_match_the_model)
{
	static uint64_t seeds[] = { 1, 2, 3, 0x5eed, 0xc0ffee };

	return cr_make_param_array(uint64_t, seeds, ARRAY_SIZE(seeds));
}

ParameterizedTest(uint64_t *seed, cap_random, sequences_match_the_model)
{
	run(*seed);
}
