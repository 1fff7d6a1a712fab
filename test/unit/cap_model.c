/*
 * cap_model.c - the model of the derivation tree (see cap_model.h) and
 * model_check(), which compares the kernel's slots with it.
 *
 * The model is deliberately naive: a flat array of slots by key, a list of
 * the used ones, parents as keys, and linear scans for children. What
 * model_check() demands of the kernel, after every step:
 *  - every used slot holds the modelled capability (type, address, rights,
 *    badge, size, watermark) and every other slot of a live CNode is all
 *    zero bytes, links included;
 *  - every capability's parent is live and is its kernel parent; each
 *    parent's child list holds exactly its modelled children, prev mirrors
 *    next, and the caps to one object under one parent are contiguous;
 *  - cap_is_final() is true exactly for the only capability to an object;
 *  - destroyed objects are gone: a CNode's slots are empty, a VSpace's
 *    ASID is free again.
 */
#include "cap_model.h"
#include "fake_arch.h"
#include "vspace.h"

#include <criterion/criterion.h>
#include <string.h>

#define MODEL_KEYS (FAKE_RAM_SIZE >> CNODE_SLOT_BITS)
#define TCB_INDEX(pa) (((pa) - FAKE_RAM_BASE) >> TCB_SIZE_BITS)

static struct model_slot slots[MODEL_KEYS];
static int used_keys[MODEL_KEYS];     /* the used slots, in no order */
static int used_pos[MODEL_KEYS];
static unsigned nused;

static struct model_obj objs[MODEL_MAX_OBJECTS];
static unsigned nobjs;
static int live[MODEL_MAX_OBJECTS];   /* the live objects, in no order */
static int live_pos[MODEL_MAX_OBJECTS];
static unsigned nlive;

static int tcb_at[FAKE_RAM_SIZE >> TCB_SIZE_BITS];   /* live TCB by address, or MODEL_NONE */
static unsigned ntcbs, nvspaces, ndestroyed, ndrained;
static int died_cnodes[MODEL_MAX_OBJECTS];           /* since the last check */
static unsigned ndied;
static struct thread *caller;

/* Scratch for model_check. */
static unsigned nchildren[MODEL_KEYS];
static unsigned ncaps_seen[MODEL_MAX_OBJECTS];
static unsigned list_stamp[MODEL_MAX_OBJECTS];
static unsigned stamp;

void model_reset(struct thread *t)
{
	unsigned i;

	memset(slots, 0, sizeof(slots));
	memset(objs, 0, sizeof(objs));
	for (i = 0; i < ARRAY_SIZE(tcb_at); i++)
		tcb_at[i] = MODEL_NONE;
	nused = nobjs = nlive = ntcbs = nvspaces = ndestroyed = ndrained = ndied = 0;
	caller = t;
}

int model_key(const struct cte *c)
{
	paddr_t pa;

	if (c == NULL)
		return MODEL_NONE;
	pa = kva_to_pa(c);
	if (pa < FAKE_RAM_BASE || pa >= FAKE_RAM_BASE + FAKE_RAM_SIZE || pa % sizeof(*c) != 0)
		return MODEL_NONE;
	return (int)((pa - FAKE_RAM_BASE) >> CNODE_SLOT_BITS);
}

struct cte *model_cte(int key)
{
	cr_assert(key >= 0 && key < (int)MODEL_KEYS, "model: no slot with key %d", key);
	return pa_to_kva(FAKE_RAM_BASE + ((paddr_t)key << CNODE_SLOT_BITS));
}

struct model_slot *model_slot(int key)
{
	cr_assert(key >= 0 && key < (int)MODEL_KEYS, "model: no slot with key %d", key);
	return &slots[key];
}

struct model_obj *model_obj(int id)
{
	cr_assert(id >= 0 && id < (int)nobjs, "model: no object %d", id);
	return &objs[id];
}

int model_cnode_key(int cnode, uint64_t index)
{
	struct model_obj *o = model_obj(cnode);

	cr_assert(o->type == OBJ_CNODE && index < (1ul << o->size_bits));
	return model_key(pa_to_kva(o->paddr)) + (int)index;
}

unsigned model_objects_destroyed(void)
{
	return ndestroyed;
}

unsigned model_cnodes_drained(void)
{
	return ndrained;
}

unsigned model_caps_used(void)
{
	return nused;
}

/* log2 of the bytes an object takes, from the sizes in objects.h. */
static unsigned model_bits(unsigned type, unsigned size_bits)
{
	switch (type) {
	case OBJ_UNTYPED:      return size_bits;
	case OBJ_CNODE:        return size_bits + CNODE_SLOT_BITS;
	case OBJ_TCB:          return TCB_SIZE_BITS;
	case OBJ_ENDPOINT:     return ENDPOINT_SIZE_BITS;
	case OBJ_NOTIFICATION: return NOTIFICATION_SIZE_BITS;
	case OBJ_FRAME:        return FRAME_SIZE_BITS;
	case OBJ_PAGE_TABLE:   return PAGE_TABLE_SIZE_BITS;
	case OBJ_VSPACE:       return VSPACE_SIZE_BITS;
	default:               return 0;
	}
}

static bool model_carved_from(int id, int untyped)
{
	for (; id != MODEL_NONE; id = objs[id].from)
		if (id == untyped)
			return true;
	return false;
}

int model_new_object(unsigned type, paddr_t paddr, unsigned size_bits, bool is_device, int from)
{
	struct model_obj *o;
	unsigned i;
	int id;

	cr_assert(nobjs < MODEL_MAX_OBJECTS, "model: too many objects");
	id = (int)nobjs++;
	o = &objs[id];
	*o = (struct model_obj){ .type = type, .paddr = paddr, .bits = model_bits(type, size_bits),
				 .size_bits = size_bits, .is_device = is_device, .alive = true,
				 .from = from };
	/* Retype never hands out memory that a live object still uses. */
	for (i = 0; o->bits && i < nlive; i++) {
		const struct model_obj *other = &objs[live[i]];
		uint64_t end = paddr + (1ul << o->bits);

		if (other->bits == 0 || model_carved_from(from, live[i]))
			continue;
		cr_assert(end <= other->paddr || paddr >= other->paddr + (1ul << other->bits),
			  "model: new object (type %u) at %#lx overlaps live object %d "
			  "(type %u) at %#lx", type, paddr, live[i], other->type, other->paddr);
	}
	live_pos[id] = (int)nlive;
	live[nlive++] = id;
	if (type == OBJ_TCB) {
		cr_assert(paddr >= FAKE_RAM_BASE && paddr < FAKE_RAM_BASE + FAKE_RAM_SIZE);
		tcb_at[TCB_INDEX(paddr)] = id;
		ntcbs++;
	}
	nvspaces += type == OBJ_VSPACE;
	return id;
}

static void model_destroy(int id)
{
	struct model_obj *o = &objs[id];
	unsigned i;
	int last = live[--nlive];

	live[live_pos[id]] = last;
	live_pos[last] = live_pos[id];
	o->alive = false;
	ndestroyed++;
	if (o->type == OBJ_TCB) {
		const struct thread *t = pa_to_kva(o->paddr);

		tcb_at[TCB_INDEX(o->paddr)] = MODEL_NONE;
		ntcbs--;
		for (i = 0; i < THREAD_HELD_COUNT; i++)
			model_delete(model_key(&t->held[i]));
	}
	nvspaces -= o->type == OBJ_VSPACE;
	if (o->type == OBJ_CNODE) {
		bool held = false;

		died_cnodes[ndied++] = id;
		for (i = 1; i < (1u << o->size_bits); i++) {
			held |= slots[model_cnode_key(id, i)].used;
			model_delete(model_cnode_key(id, i));
		}
		ndrained += held;
	}
}

void model_insert(int key, int obj, unsigned rights, uint64_t badge, int parent)
{
	struct model_slot *s = model_slot(key);

	cr_assert(!s->used, "model: insert into used slot %d", key);
	cr_assert(parent == MODEL_NONE || slots[parent].used, "model: parent %d is empty", parent);
	cr_assert(model_obj(obj)->alive, "model: insert a cap to dead object %d", obj);
	*s = (struct model_slot){ .used = true, .obj = obj, .parent = parent,
				  .rights = (uint8_t)rights, .badge = badge };
	used_pos[key] = (int)nused;
	used_keys[nused++] = key;
	objs[obj].ncaps++;
}

void model_derive(int dest, int src, unsigned rights, uint64_t badge)
{
	const struct model_slot *s = model_slot(src);

	cr_assert(s->used);
	model_insert(dest, s->obj, s->rights & rights, badge ? badge : s->badge, src);
}

void model_move(int dest, int src)
{
	unsigned i;

	if (dest == src)
		return;
	cr_assert(slots[src].used && !model_slot(dest)->used);
	slots[dest] = slots[src];
	slots[src] = (struct model_slot){ 0 };
	used_keys[used_pos[src]] = dest;
	used_pos[dest] = used_pos[src];
	for (i = 0; i < nused; i++)
		if (slots[used_keys[i]].parent == src)
			slots[used_keys[i]].parent = dest;
}

void model_hold(const struct thread *t, const int src[THREAD_HELD_COUNT])
{
	unsigned i;

	for (i = 0; i < THREAD_HELD_COUNT; i++) {
		model_delete(model_key(&t->held[i]));
		if (src[i] != MODEL_NONE)
			model_derive(model_key(&t->held[i]), src[i], RIGHTS_ALL, 0);
	}
}

void model_delete(int key)
{
	struct model_slot s = *model_slot(key);
	unsigned i;
	int last;

	if (!s.used)
		return;
	for (i = 0; i < nused; i++)
		if (slots[used_keys[i]].parent == key)
			slots[used_keys[i]].parent = s.parent;
	last = used_keys[--nused];
	used_keys[used_pos[key]] = last;
	used_pos[last] = used_pos[key];
	slots[key] = (struct model_slot){ 0 };
	if (--objs[s.obj].ncaps == 0)
		model_destroy(s.obj);
}

static bool model_descends_from(int key, int ancestor)
{
	int p;

	for (p = slots[key].parent; p != MODEL_NONE; p = slots[p].parent)
		if (p == ancestor)
			return true;
	return false;
}

void model_revoke(int key)
{
	static int doomed[MODEL_KEYS];
	unsigned i, n = 0;

	for (i = 0; i < nused; i++)
		if (model_descends_from(used_keys[i], key))
			doomed[n++] = used_keys[i];
	/* Deleting a set of caps leaves the same tree in any order. */
	for (i = 0; i < n; i++)
		model_delete(doomed[i]);
	if (slots[key].used && objs[slots[key].obj].type == OBJ_UNTYPED)
		objs[slots[key].obj].watermark = 0;
}

bool model_has_children(int key)
{
	unsigned i;

	for (i = 0; i < nused; i++)
		if (slots[used_keys[i]].parent == key)
			return true;
	return false;
}

int model_find_live(unsigned type, paddr_t paddr)
{
	unsigned i;

	for (i = 0; i < nlive; i++)
		if (objs[live[i]].type == type && objs[live[i]].paddr == paddr)
			return live[i];
	return MODEL_NONE;
}

unsigned model_live_count(unsigned type)
{
	unsigned i, n = 0;

	for (i = 0; i < nlive; i++)
		n += objs[live[i]].type == type;
	return n;
}

/* --- the check ------------------------------------------------------------ */

static bool cte_is_zero(const struct cte *c)
{
	static const struct cte zero;

	return memcmp(c, &zero, sizeof(zero)) == 0;
}

/* A kernel link must point at a used slot (or be NULL). */
static void check_link(const char *what, int key, const char *name, const struct cte *link)
{
	int k = model_key(link);

	if (link == NULL)
		return;
	cr_assert(k != MODEL_NONE && slots[k].used,
		  "%s: slot %d's %s points at %p, not a used slot", what, key, name, (void *)link);
}

static void check_cap(const char *what, int key)
{
	const struct model_slot *s = &slots[key];
	const struct model_obj *o = &objs[s->obj];
	const struct cte *c = model_cte(key);

	cr_assert(o->alive, "%s: slot %d names dead object %d", what, key, s->obj);
	cr_assert_eq(c->cap.type, o->type, "%s: slot %d has type %u, model %u", what, key,
		     c->cap.type, o->type);
	cr_assert_eq(c->cap.paddr, o->paddr, "%s: slot %d names %#lx, model %#lx", what, key,
		     c->cap.paddr, o->paddr);
	cr_assert_eq(c->cap.rights, s->rights, "%s: slot %d has rights %u, model %u", what, key,
		     c->cap.rights, s->rights);
	if (o->type == OBJ_ENDPOINT || o->type == OBJ_NOTIFICATION)
		cr_assert_eq(c->cap.data, s->badge, "%s: slot %d has badge %lu, model %lu", what,
			     key, c->cap.data, s->badge);
	if (o->type == OBJ_UNTYPED) {
		cr_assert_eq(c->cap.size_bits, o->size_bits, "%s: slot %d untyped size", what, key);
		cr_assert_eq(c->cap.data, o->watermark, "%s: slot %d watermark %#lx, model %#lx",
			     what, key, c->cap.data, o->watermark);
	}
	if (o->type == OBJ_CNODE)
		cr_assert_eq(c->cap.size_bits, o->size_bits, "%s: slot %d radix", what, key);
	if (o->type == OBJ_UNTYPED || o->type == OBJ_FRAME)
		cr_assert_eq(c->cap.is_device, o->is_device, "%s: slot %d is_device", what, key);
	/* A used slot is no CNode's slot 0, and knows its thread if it is a TCB's. */
	cr_assert(c->holder == NULL || &c->holder->held[c - c->holder->held] == c,
		  "%s: slot %d has a dying_next or a wrong holder", what, key);
}

static void check_links(const char *what, int key)
{
	const struct model_slot *s = &slots[key];
	const struct cte *c = model_cte(key), *child, *prev = NULL;
	unsigned n = 0, depth = 0;
	const struct cte *up;

	check_link(what, key, "parent", c->parent);
	check_link(what, key, "first_child", c->first_child);
	check_link(what, key, "next", c->next);
	check_link(what, key, "prev", c->prev);
	if (s->parent == MODEL_NONE) {
		cr_assert_eq(c->parent, NULL, "%s: root slot %d has a parent", what, key);
	} else {
		cr_assert(slots[s->parent].used, "%s: slot %d's model parent %d is empty",
			  what, key, s->parent);
		cr_assert_eq(c->parent, model_cte(s->parent),
			     "%s: slot %d's parent is slot %d, model %d",
			     what, key, model_key(c->parent), s->parent);
	}
	/* Siblings mirror each other and share the parent. */
	if (c->next)
		cr_assert(c->next->prev == c && c->next->parent == c->parent,
			  "%s: slot %d's next does not point back", what, key);
	if (c->prev)
		cr_assert(c->prev->next == c && c->prev->parent == c->parent,
			  "%s: slot %d's prev does not point back", what, key);
	else if (c->parent)
		cr_assert_eq(c->parent->first_child, c, "%s: slot %d has no prev but is not first",
			     what, key);
	/* No cycle above: the root is at most every used slot away. */
	for (up = c->parent; up; up = up->parent)
		cr_assert(++depth <= nused, "%s: slot %d's parents form a cycle", what, key);
	/* The children: exactly the modelled ones, each object one run. */
	stamp++;
	for (child = c->first_child; child; prev = child, child = child->next) {
		int ck = model_key(child);

		cr_assert(++n <= nchildren[key],
			  "%s: slot %d has more than the %u modelled children",
			  what, key, nchildren[key]);
		cr_assert_eq(slots[ck].parent, key,
			     "%s: slot %d lists slot %d, whose model parent is %d",
			     what, key, ck, slots[ck].parent);
		cr_assert_eq(child->prev, prev, "%s: slot %d's child %d has a wrong prev",
			     what, key, ck);
		if (prev == NULL || slots[model_key(prev)].obj != slots[ck].obj) {
			cr_assert_neq(list_stamp[slots[ck].obj], stamp,
				      "%s: caps to object %d are not contiguous among "
				      "slot %d's children", what, slots[ck].obj, key);
			list_stamp[slots[ck].obj] = stamp;
		}
	}
	cr_assert_eq(n, nchildren[key], "%s: slot %d has %u children, model %u", what, key, n,
		     nchildren[key]);
	cr_assert_eq(cap_is_final(c), objs[s->obj].ncaps == 1,
		     "%s: cap_is_final(slot %d) is %d but %u caps name object %d", what, key,
		     cap_is_final(c), objs[s->obj].ncaps, s->obj);
}

/* Every slot of a CNode that holds no capability is all zero bytes; slot 0
 * keeps the radix and is on no dying list. */
static void check_cnode(const char *what, int id)
{
	const struct model_obj *o = &objs[id];
	const struct cte *slot0 = pa_to_kva(o->paddr);
	unsigned i;

	cr_assert_eq(slot0->cap.type, OBJ_NULL, "%s: CNode %d has a cap in slot 0", what, id);
	cr_assert_eq(slot0->cap.size_bits, o->size_bits, "%s: CNode %d's slot 0 lost its radix",
		     what, id);
	cr_assert(slot0->dying_next == NULL && slot0->parent == NULL && slot0->first_child == NULL,
		  "%s: CNode %d's slot 0 has links", what, id);
	for (i = 1; i < (1u << o->size_bits); i++) {
		int key = model_cnode_key(id, i);

		if (!o->alive || !slots[key].used)
			cr_assert(cte_is_zero(&slot0[i]),
				  "%s: %s CNode %d's slot %u (key %d) is not empty",
				  what, o->alive ? "live" : "destroyed", id, i, key);
	}
}

void model_check(const char *what)
{
	unsigned i;

	for (i = 0; i < nused; i++) {
		nchildren[used_keys[i]] = 0;
		ncaps_seen[slots[used_keys[i]].obj] = 0;
	}
	for (i = 0; i < nused; i++) {
		const struct model_slot *s = &slots[used_keys[i]];

		if (s->parent != MODEL_NONE)
			nchildren[s->parent]++;
		ncaps_seen[s->obj]++;
	}
	for (i = 0; i < nused; i++) {
		int key = used_keys[i];

		cr_assert_eq(ncaps_seen[slots[key].obj], objs[slots[key].obj].ncaps,
			     "model: cap count of object %d is off", slots[key].obj);
		check_cap(what, key);
		check_links(what, key);
	}
	for (i = 0; i < nlive; i++)
		if (objs[live[i]].type == OBJ_CNODE)
			check_cnode(what, live[i]);
	for (i = 0; i < ndied; i++)
		check_cnode(what, died_cnodes[i]);
	ndied = 0;
	cr_assert_eq(ASID_COUNT - 1 - vspace_asids_free(), nvspaces,
		     "%s: %u ASIDs in use, %u live VSpaces",
		     what, ASID_COUNT - 1 - vspace_asids_free(), nvspaces);
}
