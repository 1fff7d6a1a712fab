/*
 * test_badptr.c - bad pointers and bad numbers passed to the kernel.
 *
 * Each call must come back with the documented error, print nothing, and
 * leave the program running. It ends by printing how many checks passed and
 * exits 0 only if all did.
 */
#include "errors.h"
#include "printf.h"
#include "sys.h"
#include "syscalls.h"

static int checks, failures;

static void expect(const char *what, long got, long want)
{
	checks++;
	if (got != want) {
		failures++;
		printf("test_badptr: FAIL %s: got %s, want %s\n", what, err_name((int)got),
		       err_name((int)want));
	} else {
		printf("test_badptr: ok %s -> %s\n", what, err_name((int)got));
	}
}

static char bss_page[4096] __attribute__((aligned(4096)));
static char longest[DEBUG_WRITE_MAX];

int main(void)
{
	char *stack_guard;
	uintptr_t stack_top = 0x4000000000ul - 4096;

	expect("null pointer", debug_write(0, 1), ERR_BAD_ADDRESS);
	expect("kernel address", debug_write((void *)0xffffffc080200000ul, 8), ERR_BAD_ADDRESS);
	expect("just past user space", debug_write((void *)0x4000000000ul, 1), ERR_BAD_ADDRESS);
	expect("length that wraps around", debug_write((void *)0x3ffffffff0ul, ~0ul - 8), ERR_RANGE);
	expect("length over the limit", debug_write("x", DEBUG_WRITE_MAX + 1), ERR_RANGE);
	for (unsigned i = 0; i < DEBUG_WRITE_MAX - 1; i++)
		longest[i] = '-';
	longest[DEBUG_WRITE_MAX - 1] = '\n';
	expect("length exactly at the limit", debug_write(longest, DEBUG_WRITE_MAX), ERR_OK);
	/* The page above the stack top is unmapped: a range that starts on a
	 * mapped page and ends on it must fail as a whole. */
	stack_guard = (char *)(stack_top - 4);
	expect("range runs off the stack", debug_write(stack_guard, 8), ERR_BAD_ADDRESS);
	expect("unmapped hole below text", debug_write((void *)0x1000, 16), ERR_BAD_ADDRESS);
	expect("zero length at a bad address", debug_write((void *)0xdead0000ul, 0), ERR_OK);
	expect("valid write still works", debug_write("test_badptr: (valid write)\n", 27), ERR_OK);
	bss_page[4095] = '\n';
	expect("a byte of bss (a newline)", debug_write(&bss_page[4095], 1), ERR_OK);

	printf("test_badptr: %d checks, %d failed\n", checks, failures);
	if (failures != 0)
		return 1;
	/* An unknown system call is a fault, not an error code: with no fault
	 * endpoint, the kernel stops this thread here (docs/ipc.md). */
	sys_call(4096, 0, 0, 0, 0, 0, 0);
	printf("test_badptr: an unknown system call came back\n");
	return 1;
}
