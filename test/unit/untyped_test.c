/*
 * untyped_test.c - retype arithmetic, through invoke_call() as user space
 * calls it: object sizes; each object aligned to its size from the
 * watermark up; count objects in count consecutive slots; ERR_NO_MEMORY
 * exactly at the end of the Untyped; refused requests (type, size, count,
 * slots, device memory) change nothing; memory comes back from offset 0
 * after a revoke, or once every child is deleted, and not while any
 * capability to an object carved from it lives. Addresses and watermarks
 * are read back with CNODE_DESCRIBE and compared with numbers worked out
 * by hand.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cap_world.h"
#include "errors.h"
#include "object.h"
#include "vspace.h"
#include "fake_arch.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */

#define RADIX 9
#define UT WORLD_UT_PA
#define DEVICE_PA 0x10000000ul     /* outside fake RAM: touching it aborts */

/* What CNODE_DESCRIBE says about CSpace slot i. */
static uint64_t describe(uint64_t i, unsigned word)
{
	uint64_t out[5];

	cr_assert_eq(world_describe(SLOT_CNODE, i, out), ERR_OK);
	return out[word];
}

static uint64_t type_of(uint64_t i)
{
	return describe(i, 0);
}

static uint64_t paddr_of(uint64_t i)
{
	return describe(i, 4);
}

/* The Untyped in slot i: bytes retyped so far. */
static uint64_t watermark(uint64_t i)
{
	return describe(i, 2);
}

static int retype(uint64_t type, uint64_t size_bits, uint64_t first, uint64_t count)
{
	return world_retype(SLOT_UT, type, size_bits, SLOT_CNODE, first, count);
}

/* Every slot in [first, first + n) is empty. */
static void assert_empty(uint64_t first, uint64_t n)
{
	uint64_t i;

	for (i = first; i < first + n; i++)
		cr_assert_eq(world_slot(i)->cap.type, OBJ_NULL, "slot %lu is not empty", i);
}

Test(untyped, object_sizes_are_the_abis)
{
	cr_assert_eq(object_size_bits(OBJ_ENDPOINT, 0), 5);
	cr_assert_eq(object_size_bits(OBJ_NOTIFICATION, 0), 6);
	cr_assert_eq(object_size_bits(OBJ_TCB, 0), 10);
	cr_assert_eq(object_size_bits(OBJ_FRAME, 0), 12);
	cr_assert_eq(object_size_bits(OBJ_PAGE_TABLE, 0), 12);
	cr_assert_eq(object_size_bits(OBJ_VSPACE, 0), 12);
	cr_assert_eq(object_size_bits(OBJ_TCB, 30), 10, "size_bits means nothing to a TCB");
	cr_assert_eq(object_size_bits(OBJ_CNODE, 1), 7);
	cr_assert_eq(object_size_bits(OBJ_CNODE, 16), 22);
	cr_assert_eq(object_size_bits(OBJ_CNODE, 0), -1);
	cr_assert_eq(object_size_bits(OBJ_CNODE, 17), -1);
	cr_assert_eq(object_size_bits(OBJ_UNTYPED, 5), 5);
	cr_assert_eq(object_size_bits(OBJ_UNTYPED, 38), 38);
	cr_assert_eq(object_size_bits(OBJ_UNTYPED, 4), -1);
	cr_assert_eq(object_size_bits(OBJ_UNTYPED, 39), -1);
	cr_assert_eq(object_size_bits(OBJ_NULL, 0), -1);
	cr_assert_eq(object_size_bits(OBJ_IRQ_CONTROL, 0), -1);
	cr_assert_eq(object_size_bits(OBJ_IRQ_HANDLER, 0), -1);
	cr_assert_eq(object_size_bits(OBJ_TYPE_COUNT, 0), -1);
}

Test(untyped, each_object_is_aligned_to_its_size)
{
	static const struct { uint64_t type, size_bits, bytes; } kinds[] = {
		{ OBJ_NOTIFICATION, 0, 0x40 }, { OBJ_TCB, 0, 0x400 }, { OBJ_FRAME, 0, 0x1000 },
		{ OBJ_PAGE_TABLE, 0, 0x1000 }, { OBJ_VSPACE, 0, 0x1000 }, { OBJ_CNODE, 1, 0x80 },
		{ OBJ_CNODE, 4, 0x400 }, { OBJ_CNODE, 8, 0x4000 }, { OBJ_UNTYPED, 5, 0x20 },
		{ OBJ_UNTYPED, 13, 0x2000 }, { OBJ_UNTYPED, 20, 0x100000 },
	};
	unsigned k;

	world_init(RADIX, UT, WORLD_UT_BITS, false);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		/* A 32-byte endpoint first, so the object must skip ahead to its size. */
		uint64_t want = kinds[k].bytes > 0x20 ? kinds[k].bytes : 0x20;

		cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
		cr_assert_eq(paddr_of(10), UT);
		cr_assert_eq(retype(kinds[k].type, kinds[k].size_bits, 11, 1), ERR_OK,
			     "kind %u", k);
		cr_assert_eq(type_of(11), kinds[k].type);
		cr_assert_eq(paddr_of(11), UT + want, "kind %u at %#lx", k, paddr_of(11));
		cr_assert_eq(paddr_of(11) % kinds[k].bytes, 0);
		cr_assert_eq(watermark(SLOT_UT), want + kinds[k].bytes, "kind %u", k);
		cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	}
}

Test(untyped, a_mix_of_sizes_packs_as_worked_out)
{
	static const struct { uint64_t type, size_bits, count, offset, watermark; } steps[] = {
		{ OBJ_ENDPOINT,     0, 1, 0x0000, 0x0020 },
		{ OBJ_NOTIFICATION, 0, 1, 0x0040, 0x0080 },
		{ OBJ_TCB,          0, 1, 0x0400, 0x0800 },
		{ OBJ_CNODE,        4, 1, 0x0800, 0x0c00 },
		{ OBJ_ENDPOINT,     0, 3, 0x0c00, 0x0c60 },
		{ OBJ_FRAME,        0, 1, 0x1000, 0x2000 },
		{ OBJ_UNTYPED,     13, 1, 0x2000, 0x4000 },
		{ OBJ_VSPACE,       0, 1, 0x4000, 0x5000 },
		{ OBJ_CNODE,        1, 2, 0x5000, 0x5100 },
		{ OBJ_UNTYPED,      5, 1, 0x5100, 0x5120 },
		{ OBJ_TCB,          0, 2, 0x5400, 0x5c00 },
	};
	uint64_t slot = 10, i;
	unsigned k;

	world_init(RADIX, UT, WORLD_UT_BITS, false);
	for (k = 0; k < ARRAY_SIZE(steps); k++) {
		int bits = object_size_bits((unsigned)steps[k].type, (unsigned)steps[k].size_bits);
		uint64_t bytes = 1ul << bits;

		cr_assert_eq(retype(steps[k].type, steps[k].size_bits, slot, steps[k].count),
			     ERR_OK, "step %u", k);
		for (i = 0; i < steps[k].count; i++)
			cr_assert_eq(paddr_of(slot + i), UT + steps[k].offset + i * bytes,
				     "step %u object %lu at %#lx", k, i, paddr_of(slot + i));
		cr_assert_eq(watermark(SLOT_UT), steps[k].watermark, "step %u: %#lx", k,
			     watermark(SLOT_UT));
		slot += steps[k].count;
	}
}

Test(untyped, count_objects_go_in_count_consecutive_slots)
{
	uint64_t i;

	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 8), ERR_OK);
	for (i = 0; i < 8; i++) {
		cr_assert_eq(type_of(10 + i), OBJ_FRAME);
		cr_assert_eq(paddr_of(10 + i), UT + i * PAGE_SIZE);
		cr_assert_eq(world_slot(10 + i)->parent, world_slot(SLOT_UT));
	}
	assert_empty(9, 1);
	assert_empty(18, 1);
	cr_assert_eq(world_slot(SLOT_UT)->first_child, world_slot(17), "each new child goes first");
	cr_assert_eq(watermark(SLOT_UT), 8 * PAGE_SIZE);
}

Test(untyped, memory_runs_out_exactly_at_the_end)
{
	unsigned i;

	world_init(12, UT, 16, false);     /* 64 KiB, and a CSpace of 4096 slots */
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 17), ERR_NO_MEMORY);
	assert_empty(10, 17);
	cr_assert_eq(watermark(SLOT_UT), 0);
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 16), ERR_OK);
	cr_assert_eq(paddr_of(25), UT + 0xf000);
	cr_assert_eq(watermark(SLOT_UT), 0x10000);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 30, 1), ERR_NO_MEMORY);

	/* 32 bytes in, only 15 frames fit. */
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
	cr_assert_eq(retype(OBJ_FRAME, 0, 11, 16), ERR_NO_MEMORY);
	assert_empty(11, 16);
	cr_assert_eq(watermark(SLOT_UT), 0x20);
	cr_assert_eq(retype(OBJ_FRAME, 0, 11, 15), ERR_OK);
	cr_assert_eq(paddr_of(11), UT + 0x1000);
	cr_assert_eq(watermark(SLOT_UT), 0x10000);

	/* The smallest objects, to the last byte: 2048 endpoints, 256 a retype. */
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	for (i = 0; i < 2048; i += RETYPE_MAX_COUNT)
		cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10 + i, RETYPE_MAX_COUNT), ERR_OK);
	cr_assert_eq(paddr_of(2057), UT + 0xffe0);
	cr_assert_eq(retype(OBJ_NOTIFICATION, 0, 3000, 1), ERR_NO_MEMORY);
	assert_empty(3000, 1);
}

Test(untyped, an_object_larger_than_the_untyped_does_not_fit)
{
	world_init(RADIX, UT, 11, false);   /* 2 KiB */
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 1), ERR_NO_MEMORY);
	cr_assert_eq(retype(OBJ_CNODE, 6, 10, 1), ERR_NO_MEMORY);
	cr_assert_eq(retype(OBJ_CNODE, 5, 10, 1), ERR_OK);     /* exactly 2 KiB */
	cr_assert_eq(watermark(SLOT_UT), 0x800);
	cr_assert_eq(retype(OBJ_UNTYPED, 11, 11, 1), ERR_INVALID_ARGUMENT, "a part is smaller");
	cr_assert_eq(retype(OBJ_UNTYPED, 12, 11, 1), ERR_INVALID_ARGUMENT);
	assert_empty(11, 1);
}

Test(untyped, bad_types_sizes_and_counts_change_nothing)
{
	static const uint64_t bad[][2] = {
		{ OBJ_NULL, 0 }, { OBJ_IRQ_CONTROL, 0 }, { OBJ_IRQ_HANDLER, 0 },
		{ OBJ_TYPE_COUNT, 0 }, { (1ul << 32) + OBJ_ENDPOINT, 0 },
		{ OBJ_CNODE, 0 }, { OBJ_CNODE, 17 }, { OBJ_CNODE, (1ul << 32) + 2 },
		{ OBJ_UNTYPED, 4 }, { OBJ_UNTYPED, 39 },
		{ OBJ_UNTYPED, WORLD_UT_BITS }, { OBJ_UNTYPED, (1ul << 32) + 12 },
	};
	unsigned k;

	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
	for (k = 0; k < ARRAY_SIZE(bad); k++)
		cr_assert_eq(retype(bad[k][0], bad[k][1], 11, 1), ERR_INVALID_ARGUMENT,
			     "bad %u", k);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 11, 0), ERR_INVALID_ARGUMENT);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 11, RETYPE_MAX_COUNT + 1), ERR_INVALID_ARGUMENT,
		     "more than one retype may make");
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, (1u << RADIX) - 10, RETYPE_MAX_COUNT), ERR_RANGE,
		     "a legal count that the CSpace cannot hold");
	assert_empty(11, (1u << RADIX) - 11);
	cr_assert_eq(watermark(SLOT_UT), 0x20);
	cr_assert_eq(world_call(SLOT_CNODE, INV_UNTYPED_RETYPE, 5,
				(uint64_t[]){ OBJ_ENDPOINT, 0, SLOT_CNODE, 11, 1 }),
		     ERR_INVALID_OPERATION, "retype is for Untyped capabilities");
	cr_assert_eq(world_call(SLOT_UT, INV_UNTYPED_RETYPE, 4,
				(uint64_t[]){ OBJ_ENDPOINT, 0, SLOT_CNODE, 11 }), ERR_TRUNCATED);
}

Test(untyped, bad_destination_slots_change_nothing)
{
	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_FRAME, 0, 0, 1), ERR_RANGE, "slot 0 is never used");
	cr_assert_eq(retype(OBJ_FRAME, 0, 510, 3), ERR_RANGE);
	assert_empty(510, 2);
	cr_assert_eq(retype(OBJ_FRAME, 0, UINT64_MAX, 2), ERR_RANGE);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 22, 1), ERR_OK);
	cr_assert_eq(retype(OBJ_FRAME, 0, 20, 4), ERR_SLOT_OCCUPIED);
	assert_empty(20, 2);
	assert_empty(23, 1);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_FRAME, 0, SLOT_IRQ, 20, 1), ERR_INVALID_CAP);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_FRAME, 0, 100, 20, 1), ERR_INVALID_CAP);
	cr_assert_eq(world_copy(SLOT_CNODE, 30, SLOT_CNODE, SLOT_CNODE, RIGHT_READ), ERR_OK);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_FRAME, 0, 30, 20, 1), ERR_NO_RIGHTS);
	assert_empty(20, 2);
	cr_assert_eq(watermark(SLOT_UT), 0x20, "only the endpoint was made");

	/* Into another CNode, through a capability to it in the CSpace. */
	cr_assert_eq(retype(OBJ_CNODE, 2, 40, 1), ERR_OK);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_FRAME, 0, 40, 3, 1), ERR_OK);
	cr_assert_eq(world_retype(SLOT_UT, OBJ_FRAME, 0, 40, 4, 1), ERR_RANGE);
	cr_assert_eq(((struct cte *)pa_to_kva(paddr_of(40)))[3].cap.paddr, UT + 0x1000);
}

Test(untyped, device_memory_makes_only_frames_and_is_never_written)
{
	static const uint64_t kernel_objects[][2] = {
		{ OBJ_ENDPOINT, 0 }, { OBJ_NOTIFICATION, 0 }, { OBJ_TCB, 0 }, { OBJ_CNODE, 2 },
		{ OBJ_PAGE_TABLE, 0 }, { OBJ_VSPACE, 0 },
	};
	unsigned k;

	world_init(RADIX, DEVICE_PA, 16, true);
	for (k = 0; k < ARRAY_SIZE(kernel_objects); k++)
		cr_assert_eq(retype(kernel_objects[k][0], kernel_objects[k][1], 10, 1),
			     ERR_INVALID_ARGUMENT, "kind %u", k);
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 2), ERR_OK);    /* would abort if it wrote */
	cr_assert_eq(paddr_of(11), DEVICE_PA + PAGE_SIZE);
	cr_assert(world_slot(10)->cap.is_device && world_slot(11)->cap.is_device);
	cr_assert_eq(retype(OBJ_UNTYPED, 12, 12, 1), ERR_OK);
	cr_assert(world_slot(12)->cap.is_device, "a part of device memory is device memory");
	cr_assert_eq(world_retype(12, OBJ_ENDPOINT, 0, SLOT_CNODE, 13, 1), ERR_INVALID_ARGUMENT);
	cr_assert_eq(world_retype(12, OBJ_FRAME, 0, SLOT_CNODE, 13, 1), ERR_OK);
	cr_assert_eq(paddr_of(13), DEVICE_PA + 2 * PAGE_SIZE);
	cr_assert(world_slot(13)->cap.is_device);
	cr_assert_eq(watermark(SLOT_UT), 3 * PAGE_SIZE);
}

Test(untyped, new_objects_are_zeroed_and_a_new_untyped_is_not)
{
	uint8_t *ram = pa_to_kva(UT);

	world_init(RADIX, UT, 16, false);
	memset(ram, 0xa5, 1u << 16);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
	/* Zeroed a page at a time: the rest of the endpoint's page too. */
	cr_assert(ram[0] == 0 && ram[31] == 0 && ram[0xfff] == 0 && ram[0x1000] == 0xa5);
	cr_assert_eq(retype(OBJ_UNTYPED, 12, 11, 1), ERR_OK);
	cr_assert_eq(paddr_of(11), UT + 0x1000);
	cr_assert(ram[0x1000] == 0xa5 && ram[0x1fff] == 0xa5, "an Untyped stays as it is");
	cr_assert_eq(world_retype(11, OBJ_FRAME, 0, SLOT_CNODE, 12, 1), ERR_OK);
	cr_assert(ram[0x1000] == 0 && ram[0x1fff] == 0 && ram[0x2000] == 0xa5);
}

Test(untyped, revoke_makes_the_untyped_whole_again)
{
	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
	cr_assert_eq(retype(OBJ_TCB, 0, 11, 2), ERR_OK);
	cr_assert_eq(retype(OBJ_CNODE, 3, 13, 1), ERR_OK);
	cr_assert_eq(world_copy(13, 1, SLOT_CNODE, 11, RIGHTS_ALL), ERR_OK);
	cr_assert_eq(watermark(SLOT_UT), 0xe00);
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	cr_assert_eq(watermark(SLOT_UT), 0);
	cr_assert_null(world_slot(SLOT_UT)->first_child);
	assert_empty(10, 4);
	/* The old TCBs' memory is handed out again, zeroed. */
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 1), ERR_OK);
	cr_assert_eq(paddr_of(10), UT);
	cr_assert_eq(watermark(SLOT_UT), 0x1000);
}

Test(untyped, deleting_every_child_returns_the_memory_but_not_before)
{
	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 3), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 10), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 11), ERR_OK);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 13, 1), ERR_OK);
	cr_assert_eq(paddr_of(13), UT + 0x60, "slot 12's endpoint still lives");
	cr_assert_eq(world_delete(SLOT_CNODE, 12), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 13), ERR_OK);
	cr_assert_eq(watermark(SLOT_UT), 0x80, "delete leaves the watermark");
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 14, 1), ERR_OK);
	cr_assert_eq(paddr_of(14), UT, "but with no children left, retype starts over");
	cr_assert_eq(watermark(SLOT_UT), 0x20);
}

Test(untyped, any_capability_to_a_carved_object_keeps_its_memory)
{
	world_init(RADIX, UT, WORLD_UT_BITS, false);
	/* A copy outlives the original: it moves up under the Untyped. */
	cr_assert_eq(retype(OBJ_FRAME, 0, 10, 1), ERR_OK);
	cr_assert_eq(world_copy(SLOT_CNODE, 11, SLOT_CNODE, 10, RIGHT_READ), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 10), ERR_OK);
	cr_assert_eq(world_slot(11)->parent, world_slot(SLOT_UT));
	cr_assert_eq(retype(OBJ_FRAME, 0, 12, 1), ERR_OK);
	cr_assert_eq(paddr_of(12), UT + 0x1000);
	cr_assert_eq(world_delete(SLOT_CNODE, 12), ERR_OK);

	/* A capability moved into another CNode still counts, until that
	 * CNode goes and takes it along. */
	cr_assert_eq(retype(OBJ_CNODE, 2, 20, 1), ERR_OK);
	cr_assert_eq(world_move(20, 1, SLOT_CNODE, 11), ERR_OK);
	cr_assert_eq(world_delete(SLOT_CNODE, 20), ERR_OK);
	cr_assert_null(world_slot(SLOT_UT)->first_child, "the frame went with the CNode");
	cr_assert_eq(retype(OBJ_FRAME, 0, 12, 1), ERR_OK);
	cr_assert_eq(paddr_of(12), UT);
}

Test(untyped, a_part_has_its_own_watermark)
{
	world_init(RADIX, UT, WORLD_UT_BITS, false);
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 10, 1), ERR_OK);
	cr_assert_eq(retype(OBJ_UNTYPED, 12, 11, 1), ERR_OK);
	cr_assert_eq(paddr_of(11), UT + 0x1000);
	cr_assert_eq(world_retype(11, OBJ_ENDPOINT, 0, SLOT_CNODE, 12, 2), ERR_OK);
	cr_assert_eq(paddr_of(13), UT + 0x1020);
	cr_assert_eq(watermark(11), 0x40);
	cr_assert_eq(watermark(SLOT_UT), 0x2000);
	cr_assert_eq(world_retype(11, OBJ_FRAME, 0, SLOT_CNODE, 14, 1), ERR_NO_MEMORY);
	cr_assert_eq(world_revoke(SLOT_CNODE, 11), ERR_OK);
	cr_assert_eq(watermark(11), 0);
	cr_assert_eq(watermark(SLOT_UT), 0x2000, "the part itself still lives");
	cr_assert_eq(world_retype(11, OBJ_FRAME, 0, SLOT_CNODE, 14, 1), ERR_OK);
	cr_assert_eq(paddr_of(14), UT + 0x1000);
	/* Deleting the part leaves its children to the whole. */
	cr_assert_eq(world_delete(SLOT_CNODE, 11), ERR_OK);
	cr_assert_eq(world_slot(14)->parent, world_slot(SLOT_UT));
	cr_assert_eq(retype(OBJ_ENDPOINT, 0, 15, 1), ERR_OK);
	cr_assert_eq(paddr_of(15), UT + 0x2000);
}

Test(untyped, each_vspace_takes_an_asid_until_it_goes)
{
	unsigned free;

	world_init(RADIX, UT, WORLD_UT_BITS, false);
	free = vspace_asids_free();
	cr_assert_eq(free, ASID_COUNT - 1);
	cr_assert_eq(retype(OBJ_VSPACE, 0, 10, 3), ERR_OK);
	cr_assert_eq(vspace_asids_free(), free - 3);
	cr_assert(world_slot(10)->cap.asid != 0 && world_slot(11)->cap.asid != 0 &&
		  world_slot(12)->cap.asid != 0);
	cr_assert(world_slot(10)->cap.asid != world_slot(11)->cap.asid &&
		  world_slot(11)->cap.asid != world_slot(12)->cap.asid &&
		  world_slot(10)->cap.asid != world_slot(12)->cap.asid);
	cr_assert_eq(world_delete(SLOT_CNODE, 11), ERR_OK);
	cr_assert_eq(vspace_asids_free(), free - 2);
	cr_assert_eq(world_revoke(SLOT_CNODE, SLOT_UT), ERR_OK);
	cr_assert_eq(vspace_asids_free(), free);
}

/* Zeroing a big object stops for interrupts, a page a step, and a retype
 * run again goes on where it stopped. */
Test(untyped, zeroing_a_big_object_stops_for_interrupts_and_goes_on)
{
	uint8_t *ram = pa_to_kva(UT);
	unsigned restarts = 0, i;
	int err;

	world_init(RADIX, UT, 20, false);
	memset(ram, 0xa5, 1u << 18);
	fake_pending_every = 5;
	while ((err = retype(OBJ_CNODE, 12, 10, 1)) == INVOKE_RESTART)
		restarts++;
	cr_assert_eq(err, ERR_OK);
	cr_assert_geq(restarts, 64 / 5 - 1, "64 pages, an interrupt every 5: %u restarts", restarts);
	cr_assert_leq(fake_pending_calls, 64 + 1, "each page zeroed once");
	for (i = 1u << CNODE_SLOT_BITS; i < (1u << 18); i++)    /* slot 0 keeps the radix */
		cr_assert_eq(ram[i], 0, "byte %u", i);
}
