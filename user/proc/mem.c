/*
 * mem.c - the memory of every process: a pool of 4 KiB pages, address
 * spaces made of them, and the pager that serves their faults.
 *
 * proc's Untyped is cut once into 4 KiB Untypeds, the pool. Each page
 * holds one object (a frame, a page table, a VSpace, a TCB and its CNode)
 * and goes back whole with one revoke, so nothing a process had can leak
 * and "free memory" is simply the number of pool pages free. A frame may
 * be shared by several address spaces (fork, copy-on-write): refs counts
 * them, and the page goes back when the last one drops it. Every mapping
 * needs a capability of its own: a page's first mapping uses its frame
 * capability (SLOT_PAGE_OBJ + page), any further one a copy in a slot
 * from slot_alloc(). proc writes pages through its own scratch mappings,
 * and keeps its own big tables in pool pages too (mem_table, the leaves
 * of each address space's pte tables), so that its image stays small.
 */
#include "proc.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "str.h"

#define SCRATCH_DST  0x1000000000ul     /* proc's window on a page it fills */
#define SCRATCH_SRC  0x1000001000ul     /* ...and on a page it reads */
#define SLOT_SCRATCH (SLOT_PAGE_UT - 1) /* the capability mapped at SCRATCH_SRC */
#define TABLE_BASE   0x1800000000ul     /* proc's own tables (mem_table) */
#define LEAF_BASE    0x1c00000000ul     /* leaf i of the pte tables at LEAF_BASE + i pages */
#define NLEAVES      1024
#define DYN_SLOTS    (SLOT_COUNT - SLOT_DYN_BASE)

/* Small enough to be in proc's image; the big tables are mem_table()'s. */
static uint16_t free_pages[MAX_PAGES];
static unsigned nfree_pages;
static uint16_t refs[MAX_PAGES];          /* address spaces sharing a frame */
static uint16_t *free_slots;              /* DYN_SLOTS of them */
static unsigned nfree_slots;
static uint16_t leaf_page[NLEAVES];       /* the pool page holding leaf i */
static uint16_t free_leaves[NLEAVES];
static unsigned nfree_leaves;
static uint64_t table_end = TABLE_BASE;
static struct aspace self = { .vspace = PROC_SLOT_VSPACE };   /* proc's own, for scratch */

static inline cptr_t page_obj(uint16_t page)
{
	return SLOT_PAGE_OBJ + page;
}

unsigned mem_free_pages(void)
{
	return nfree_pages;
}

unsigned mem_free_slots(void)
{
	return nfree_slots + nfree_leaves;
}

int page_get(uint16_t *page)
{
	if (nfree_pages == 0)
		return ERR_NO_MEMORY;
	*page = free_pages[--nfree_pages];
	return ERR_OK;
}

int page_alloc(unsigned type, unsigned size_bits, uint16_t *page)
{
	int err = page_get(page);

	if (err != ERR_OK)
		return err;
	err = untyped_retype(SLOT_PAGE_UT + *page, type, size_bits, PROC_SLOT_CNODE,
			     page_obj(*page), 1);
	if (err != ERR_OK)
		free_pages[nfree_pages++] = *page;
	return err;
}

void page_free(uint16_t page)
{
	cnode_revoke(PROC_SLOT_CNODE, SLOT_PAGE_UT + page);
	refs[page] = 0;
	free_pages[nfree_pages++] = page;
}

cptr_t slot_alloc(void)
{
	return nfree_slots > 0 ? SLOT_DYN_BASE + free_slots[--nfree_slots] : CPTR_NULL;
}

void slot_free(cptr_t slot)
{
	free_slots[nfree_slots++] = (uint16_t)(slot - SLOT_DYN_BASE);
}

/* A page table at `level` for va, from the pool, kept in as->pts. */
static int as_table(struct aspace *as, uint64_t va, unsigned level)
{
	uint64_t span = level == 0 ? 2ul << 20 : 1ul << 30;
	uint16_t page;
	int err;

	if (as->npts == MAX_PTS)
		return ERR_NO_MEMORY;
	err = page_alloc(OBJ_PAGE_TABLE, 0, &page);
	if (err != ERR_OK)
		return err;
	err = page_table_map(page_obj(page), as->vspace, va & ~(span - 1), level);
	if (err != ERR_OK) {
		page_free(page);
		return err;
	}
	as->pts[as->npts++] = page;
	return ERR_OK;
}

int as_map(struct aspace *as, cptr_t cap, uint64_t va, unsigned rights)
{
	int err = frame_map(cap, as->vspace, va, rights);

	if (err != ERR_NO_PAGE_TABLE)
		return err;
	err = as_table(as, va, 0);
	if (err == ERR_NO_PAGE_TABLE) {
		err = as_table(as, va, 1);
		if (err == ERR_OK)
			err = as_table(as, va, 0);
	}
	return err == ERR_OK ? frame_map(cap, as->vspace, va, rights) : err;
}

int self_map(cptr_t cap, uint64_t va)
{
	return as_map(&self, cap, va, MAP_READ | MAP_WRITE);
}

void *mem_table(size_t bytes)
{
	uint64_t start = table_end, end = (start + bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint16_t page;

	for (; table_end < end; table_end += PAGE_SIZE)
		if (page_alloc(OBJ_FRAME, 0, &page) != ERR_OK ||
		    self_map(page_obj(page), table_end) != ERR_OK)
			return NULL;
	return (void *)start;
}

int mem_init(void)
{
	struct cap_info ut;
	unsigned i, npages;
	uint16_t page;
	int err = cnode_describe(PROC_SLOT_CNODE, PROC_SLOT_UNTYPED, &ut);

	if (err != ERR_OK || ut.type != OBJ_UNTYPED || ut.size_bits < 16)
		return err != ERR_OK ? err : ERR_INVALID_CAP;
	npages = ut.size_bits - 12 >= 14 ? MAX_PAGES - 1 : 1u << (ut.size_bits - 12);
	err = untyped_retype_many(PROC_SLOT_UNTYPED, OBJ_UNTYPED, 12, PROC_SLOT_CNODE,
				  SLOT_PAGE_UT + 1, npages);
	if (err != ERR_OK)
		return err;
	for (i = npages; i >= 1; i--)
		free_pages[nfree_pages++] = (uint16_t)i;
	free_slots = mem_table(DYN_SLOTS * sizeof(free_slots[0]));
	if (free_slots == NULL)
		return ERR_NO_MEMORY;
	for (i = DYN_SLOTS; i-- > 0;)
		free_slots[nfree_slots++] = (uint16_t)i;
	for (i = NLEAVES; i-- > 0;)
		free_leaves[nfree_leaves++] = (uint16_t)i;
	/* The page tables under both scratch windows (one 2 MiB), made now and
	 * kept, so that proc's own use never shows in the free counts later. */
	err = page_alloc(OBJ_FRAME, 0, &page);
	if (err == ERR_OK)
		err = as_map(&self, page_obj(page), SCRATCH_DST, MAP_READ);
	if (err == ERR_OK)
		page_free(page);
	return err;
}

struct pte *as_pte(struct aspace *as, uint64_t va, bool make)
{
	uint64_t l = va / (LEAF_PTES * PAGE_SIZE);

	if (va >= PROC_MAX_SIZE)
		return NULL;
	if (as->leaf[l] == 0) {
		uint16_t i, page;

		if (!make || nfree_leaves == 0)
			return NULL;
		i = free_leaves[nfree_leaves - 1];
		if (page_alloc(OBJ_FRAME, 0, &page) != ERR_OK)
			return NULL;
		if (self_map(page_obj(page), LEAF_BASE + i * PAGE_SIZE) != ERR_OK) {
			page_free(page);
			return NULL;
		}
		nfree_leaves--;
		leaf_page[i] = page;             /* a fresh frame: every pte zero */
		as->leaf[l] = i + 1;
	}
	return (struct pte *)(LEAF_BASE + (as->leaf[l] - 1) * PAGE_SIZE) + (va / PAGE_SIZE) % LEAF_PTES;
}

/* Forget e's page: unmap it here, and give it back if nobody shares it. */
static void pte_drop(struct pte *e)
{
	if (e->page != 0) {
		if (--refs[e->page] == 0)
			page_free(e->page);          /* takes every capability to it along */
		else if (e->slot == page_obj(e->page))
			frame_unmap(e->slot);
		else
			cnode_delete(PROC_SLOT_CNODE, e->slot);
		if (e->slot != page_obj(e->page))
			slot_free(e->slot);
	}
	e->page = 0;
	e->slot = 0;
	e->mapped = 0;
}

int as_reserve(struct aspace *as, uint64_t from, uint64_t to, unsigned rights)
{
	uint64_t va;

	for (va = from; va < to; va += PAGE_SIZE) {
		struct pte *e = as_pte(as, va, true);

		if (e == NULL)
			return ERR_NO_MEMORY;
		pte_drop(e);
		e->rights = (uint8_t)rights;
	}
	return ERR_OK;
}

void as_drop(struct aspace *as, uint64_t from, uint64_t to)
{
	uint64_t va;

	for (va = from; va < to; va += PAGE_SIZE) {
		struct pte *e = as_pte(as, va, false);

		if (e == NULL) {
			va = (va | (LEAF_PTES * PAGE_SIZE - 1)) + 1 - PAGE_SIZE;   /* the next leaf */
			continue;
		}
		pte_drop(e);
		e->rights = 0;
	}
}

void as_destroy(struct aspace *as)
{
	unsigned i;

	as_drop(as, 0, as->size);
	for (i = 0; i < DIR_LEAVES; i++)
		if (as->leaf[i] != 0) {
			free_leaves[nfree_leaves++] = as->leaf[i] - 1;
			page_free(leaf_page[as->leaf[i] - 1]);
			as->leaf[i] = 0;
		}
	for (i = 0; i < as->npts; i++)
		page_free(as->pts[i]);
	as->npts = 0;
	as->size = 0;
}

int as_new_page(struct aspace *as, uint64_t va, unsigned rights,
		void (*fill)(void *arg, void *page), void *arg)
{
	struct pte *e = as_pte(as, va, true);
	uint16_t page;
	int err;

	if (e == NULL)
		return ERR_NO_MEMORY;
	err = page_alloc(OBJ_FRAME, 0, &page);
	if (err != ERR_OK)
		return err;
	if (fill != NULL) {
		err = frame_map(page_obj(page), PROC_SLOT_VSPACE, SCRATCH_DST, MAP_READ | MAP_WRITE);
		if (err == ERR_OK) {
			fill(arg, (void *)SCRATCH_DST);
			err = frame_unmap(page_obj(page));
		}
	}
	if (err == ERR_OK)
		err = as_map(as, page_obj(page), va, rights);
	if (err != ERR_OK) {
		page_free(page);
		return err;
	}
	pte_drop(e);
	refs[page] = 1;
	*e = (struct pte){ .slot = (uint32_t)page_obj(page), .page = page, .rights = (uint8_t)rights,
			   .mapped = (uint8_t)rights };
	return ERR_OK;
}

/* Map the page e holds at SCRATCH_SRC, read-only, through SLOT_SCRATCH. */
static int scratch_src_map(const struct pte *e)
{
	int err = cnode_copy(PROC_SLOT_CNODE, SLOT_SCRATCH, PROC_SLOT_CNODE, page_obj(e->page),
			     RIGHT_READ);

	if (err == ERR_OK)
		err = frame_map(SLOT_SCRATCH, PROC_SLOT_VSPACE, SCRATCH_SRC, MAP_READ);
	return err;
}

static void scratch_src_unmap(void)
{
	cnode_delete(PROC_SLOT_CNODE, SLOT_SCRATCH);
}

uint64_t mem_peek(uint16_t page, uint64_t offset)
{
	struct pte e = { .page = page };
	uint64_t v = 0;

	if (scratch_src_map(&e) == ERR_OK)
		v = *(const volatile uint64_t *)(SCRATCH_SRC + offset);
	scratch_src_unmap();
	return v;
}

static void fill_copy_src(void *arg, void *page)
{
	(void)arg;
	memcpy(page, (const void *)SCRATCH_SRC, PAGE_SIZE);
}

/* A write to a page shared copy-on-write: the last sharer takes it over,
 * anyone else gets a copy. */
static int as_fault_cow(struct aspace *as, struct pte *e, uint64_t va)
{
	/* LAB 9 BEGIN: a write to a page shared copy-on-write: the last sharer maps it writable again, any other gets a copy of its own */
	/* LAB 9 HINT: refs[] says how many address spaces share the page; scratch_src_map() shows it to proc at SCRATCH_SRC, and fill_copy_src() copies from there into a page as_new_page() makes */
	unsigned rights = e->rights;
	int err;

	if (refs[e->page] == 1) {
		err = frame_unmap(e->slot);
		if (err == ERR_OK)
			err = frame_map(e->slot, as->vspace, va, rights);
		if (err == ERR_OK)
			e->mapped = (uint8_t)rights;
		return err;
	}
	err = scratch_src_map(e);
	if (err == ERR_OK) {
		pte_drop(e);                     /* still shared: the page stays */
		e->rights = (uint8_t)rights;
		err = as_new_page(as, va, rights, fill_copy_src, NULL);
	}
	scratch_src_unmap();
	return err;
	/* LAB 9 STUB: (void)as; (void)e; (void)va; (void)fill_copy_src; */
	/* LAB 9 STUB: printf("lab 9: as_fault_cow not implemented\n"); */
	/* LAB 9 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 9 END */
}

int as_fault(struct aspace *as, uint64_t cause, uint64_t va)
{
	enum { EXC_FETCH_PAGE = 12, EXC_LOAD_PAGE = 13, EXC_STORE_PAGE = 15 };
	unsigned need = cause == EXC_FETCH_PAGE ? MAP_EXEC :
			cause == EXC_LOAD_PAGE  ? MAP_READ :
			cause == EXC_STORE_PAGE ? MAP_WRITE : 0;
	struct pte *e;

	va &= ~(PAGE_SIZE - 1);
	e = va < as->size ? as_pte(as, va, false) : NULL;
	if (need == 0 || e == NULL || !(e->rights & need))
		return ERR_BAD_ADDRESS;
	if (e->page == 0)
		return as_new_page(as, va, e->rights, NULL, NULL);    /* lazy: sbrk, bss */
	if (need == MAP_WRITE && !(e->mapped & MAP_WRITE))
		return as_fault_cow(as, e, va);
	return ERR_OK;
}

int as_fork(struct aspace *child, struct aspace *parent)
{
	uint64_t va;
	int err = ERR_OK;

	child->size = parent->size;
	for (va = 0; va < parent->size && err == ERR_OK; va += PAGE_SIZE) {
		struct pte *e = as_pte(parent, va, false), *c;
		cptr_t slot;

		if (e == NULL) {
			va = (va | (LEAF_PTES * PAGE_SIZE - 1)) + 1 - PAGE_SIZE;
			continue;
		}
		if (e->rights == 0)
			continue;
		c = as_pte(child, va, true);
		if (c == NULL)
			return ERR_NO_MEMORY;
		c->rights = e->rights;
		if (e->page == 0)
			continue;
		/* LAB 9 BEGIN: share e's page with the child, read-only in both from now on: the first write to it is a copy-on-write fault (as_fault_cow) */
		/* LAB 9 HINT: a mapping's rights change by unmapping and mapping it again; the child's mapping needs a capability of its own (slot_alloc, cnode_copy); refs[] counts the sharers */
		if (e->mapped & MAP_WRITE) {     /* from now on both copy on write */
			e->mapped &= (uint8_t)~MAP_WRITE;
			err = frame_unmap(e->slot);
			if (err == ERR_OK)
				err = frame_map(e->slot, parent->vspace, va, e->mapped);
		}
		slot = slot_alloc();
		if (slot == CPTR_NULL)
			return ERR_NO_MEMORY;
		if (err == ERR_OK)
			err = cnode_copy(PROC_SLOT_CNODE, slot, PROC_SLOT_CNODE, page_obj(e->page),
					 RIGHTS_ALL);
		if (err == ERR_OK)
			err = as_map(child, slot, va, e->mapped);
		if (err != ERR_OK) {
			cnode_delete(PROC_SLOT_CNODE, slot);
			slot_free(slot);
			return err;
		}
		refs[e->page]++;
		*c = (struct pte){ .slot = (uint32_t)slot, .page = e->page, .rights = e->rights,
				   .mapped = e->mapped };
		/* LAB 9 STUB: (void)slot; */
		/* LAB 9 STUB: printf("lab 9: as_fork not implemented (no page is shared)\n"); */
		/* LAB 9 STUB: return ERR_NOT_IMPLEMENTED; */
		/* LAB 9 END */
	}
	return err;
}

int as_copy_in(struct aspace *as, uint64_t va, void *buf, uint64_t n)
{
	unsigned char *dst = buf;

	while (n > 0) {
		uint64_t off = va % PAGE_SIZE, k = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
		struct pte *e = va < as->size ? as_pte(as, va - off, false) : NULL;
		int err;

		if (e == NULL || !(e->rights & MAP_READ))
			return ERR_BAD_ADDRESS;
		if (e->page == 0) {
			memset(dst, 0, k);       /* never touched: still zero */
		} else {
			err = scratch_src_map(e);
			if (err == ERR_OK)
				memcpy(dst, (const unsigned char *)SCRATCH_SRC + off, k);
			scratch_src_unmap();
			if (err != ERR_OK)
				return err;
		}
		dst += k;
		va += k;
		n -= k;
	}
	return ERR_OK;
}
