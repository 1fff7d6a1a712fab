# test/test.mk - every test: host unit tests (Criterion), the QEMU harness's
# own tests, the QEMU integration tests, and the instruction counts of
# `make bench` against their baseline. `make check` runs them all and ends
# with one line "N passed, M failed" (tools/test-summary.sh).

# --- host unit tests -----------------------------------------------------------
# Generic kernel and lib code, compiled for the host and linked against a
# fake of kernel/riscv/arch.h (test/unit/fake_arch.c).
UNIT_CODE_SRCS := lib/errors.c lib/fmt.c lib/elf.c lib/bootimg.c \
                  lib/machine.c kernel/bootmem.c kernel/uaccess.c kernel/ksyms.c kernel/loader.c \
                  kernel/thread.c kernel/clock.c kernel/printk.c $(KERNEL_OBJECT_SRCS) \
                  $(filter-out lib/errors.c,$(FS_TOOL_SRCS))
UNIT_TEST_SRCS := $(wildcard test/unit/*.c)
UNIT_C_SRCS    := $(UNIT_TEST_SRCS) $(UNIT_CODE_SRCS)
UNIT_OBJS      := $(patsubst %.c,$(B)/host/%.o,$(UNIT_C_SRCS))
UNIT_BIN       := $(B)/test/unit-tests
UNIT_CFLAGS     = $(HOST_CFLAGS) -DMICA_FAKE_ARCH -Ilib -Ikernel -Ikernel/riscv -Itest/unit -Iuser/fs -Itools

$(B)/host/%.o: %.c $(FLAGS_STAMP)
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

# lib/str.c and lib/str_user.c define memcpy & co.; on the host they are renamed mica_memcpy
# & co. so the test compares them with libc's instead of replacing libc's.
# str_copy has no libc twin and keeps its name.
$(B)/host/%_prefixed.o: lib/%.c
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -ffreestanding -fno-builtin -c -o $@.tmp.o $<
	$(Q)objcopy --prefix-symbols=mica_ $@.tmp.o $@.tmp2.o && \
	  objcopy --redefine-sym mica_str_copy=str_copy $@.tmp2.o $@ && rm -f $@.tmp.o $@.tmp2.o

$(UNIT_BIN): $(UNIT_OBJS) $(B)/host/str_prefixed.o $(B)/host/str_user_prefixed.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ -lcriterion

# The xv6 user library and the shell, compiled for the host with their xv6
# API names prefixed xv6_ (test/unit/xv6_fake.h says why).
XV6_HOST_SRCS := user/ulib/ulib.c user/ulib/printf.c user/ulib/umalloc.c user/bin/sh.c
XV6_HOST_OBJS := $(XV6_HOST_SRCS:%.c=$(B)/host/xv6/%.o)
$(B)/host/xv6/%.o: %.c test/unit/xv6_host.syms $(FLAGS_STAMP)
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -ffreestanding -fno-builtin -Iuser/include -Ilib \
	  -MF $(@:.o=.d) -MT $@ -c -o $@.tmp.o $<
	$(Q)objcopy --redefine-syms=test/unit/xv6_host.syms $@.tmp.o $@ && rm -f $@.tmp.o
$(UNIT_BIN): $(XV6_HOST_OBJS)
$(B)/host/test/unit/sh_parse_test.o: UNIT_CFLAGS += -Iuser/include -Iuser/bin
-include $(XV6_HOST_OBJS:.o=.d)

# Device trees of QEMU's virt board, for the machine_probe tests.
# QEMU says "dtb dumped" on stderr: shown only if it fails.
$(B)/test/virt.dtb:
	@mkdir -p $(@D)
	$(Q)out=$$($(QEMU) -machine virt,dumpdtb=$@ -m 128M -smp 2 -nographic 2>&1) || { echo "$$out"; exit 1; }
$(B)/test/virt-args.dtb: $(KERNEL_ELF)
	@mkdir -p $(@D)
	$(Q)out=$$($(QEMU) -machine virt,dumpdtb=$@ -m 128M -smp 2 -nographic -kernel $(KERNEL_ELF) \
	  -append "root=hello x=1" 2>&1) || { echo "$$out"; exit 1; }

-include $(UNIT_OBJS:.o=.d)

# --- running -----------------------------------------------------------------
QEMU_CASES := $(sort $(wildcard test/qemu/cases/*.test))
UNIT_ENV = MICA_VIRT_DTB=$(B)/test/virt.dtb MICA_VIRT_DTB_ARGS=$(B)/test/virt-args.dtb \
           MICA_SAMPLE_ELF=$(B)/user/root.elf MICA_MKBOOTIMG=$(MKBOOTIMG) \
           MICA_MKFS=$(MKFS) MICA_FSCK=$(FSCK)

.PHONY: check unit unit-select qemu-tests harness-selftest docs-check book-check
check: $(UNIT_BIN) $(B)/test/virt.dtb $(B)/test/virt-args.dtb $(KERNEL_ELF) $(MKBOOTIMG) $(FS_IMG)
	$(Q)rm -f $(B)/test/*.result
	-$(Q)$(MAKE) --no-print-directory unit
	-$(Q)$(MAKE) --no-print-directory harness-selftest
	-$(Q)$(MAKE) --no-print-directory bench-selftest
	-$(Q)$(MAKE) --no-print-directory bench-check
	-$(Q)$(MAKE) --no-print-directory samples-check
	-$(Q)$(MAKE) --no-print-directory trace-check
	-$(Q)$(MAKE) --no-print-directory qemu-tests
	-$(Q)$(MAKE) --no-print-directory faults-check
	-$(Q)$(MAKE) --no-print-directory crash-tests
	-$(Q)$(MAKE) --no-print-directory docs-check
	-$(Q)$(MAKE) --no-print-directory book-check
	-$(Q)$(MAKE) --no-print-directory labs-check
	-$(Q)$(MAKE) --no-print-directory budget-check
	$(Q)tools/test-summary.sh $(B)/test unit harness benchtool bench samples trace qemu faults crash docs book labs budget

unit: $(UNIT_BIN) $(B)/test/virt.dtb $(B)/test/virt-args.dtb $(B)/user/root.elf $(MKBOOTIMG) $(MKFS) $(FSCK)
	@echo "== host unit tests (Criterion)"
	@mkdir -p $(B)/test
	$(Q)set -o pipefail; $(UNIT_ENV) $(UNIT_BIN) --jobs 2 $(if $(LAB_UNIT_TESTS),--filter '!($(LAB_UNIT_TESTS))') \
	  2>&1 | tee $(B)/test/unit.log; \
	  tools/criterion-result.sh $(B)/test/unit.log > $(B)/test/unit.result

# Some of the unit tests, by Criterion pattern (suite/test, | between
# several), for the run: tests of a lab (labs/NN-name/grade.conf). A failure
# ends with the lab stubs it reached, once each.
unit-select: $(UNIT_BIN)
	@mkdir -p $(B)/test
	$(Q)set -o pipefail; $(UNIT_ENV) $(UNIT_BIN) --jobs 2 --filter '@($(TESTS))' 2>&1 | tee $(B)/test/unit-select.log || \
	  { grep -o 'lab [0-9]*: .* not implemented.*' $(B)/test/unit-select.log | sort -u; exit 1; }

harness-selftest:
	@echo "== QEMU harness self-test"
	@mkdir -p $(B)/test
	$(Q)set -o pipefail; $(PYTHON) test/qemu/selftest.py 2>&1 | tee $(B)/test/harness.log; \
	  sed -n 's/^harness selftest: \([0-9]*\) passed, \([0-9]*\) failed$$/passed=\1 failed=\2/p' \
	  $(B)/test/harness.log > $(B)/test/harness.result

# Cases may attach a copy of $(FS_IMG) (disk: in test/qemu/README.md).
qemu-tests: $(KERNEL_ELF) $(FS_IMG)
	@echo "== QEMU integration tests"
	$(Q)$(PYTHON) test/qemu/run.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
	  --jobs 2 --results $(B)/test/qemu.result $(QEMU_CASES)

docs-check:
	@echo "== docs name only functions that exist"
	$(Q)mkdir -p $(B)/test && tools/check-docs.sh $(B)/test/docs.result

# The kernel's size in code lines (tools/kernel-lines.sh): its budget and
# the figure docs/README.md states.
.PHONY: kernel-lines kernel-lines-docs budget-check
kernel-lines:
	$(Q)tools/kernel-lines.sh --files

kernel-lines-docs:
	$(Q)tools/kernel-lines.sh --update

budget-check:
	@echo "== the kernel's code lines against its budget (docs/README.md)"
	$(Q)mkdir -p $(B)/test && tools/kernel-lines.sh --check $(B)/test/budget.result

# make docs, then every link of the rendered book must lead somewhere and
# every `name()` and `path` must resolve (tools/check-book.py).
book-check:
	@echo "== the book renders; every link, name and file it cites resolves"
	$(Q)mkdir -p $(B)/test && tools/book.sh $(B)/docs && $(PYTHON) tools/check-book.py --selftest && \
	  $(PYTHON) tools/check-book.py $(B)/docs --results $(B)/test/book.result

# --- instruction counts (make bench) -------------------------------------------
# tools/bench.py boots each of its RUNS (test/guest/bench.c as root; bench_blk.c
# with a disk; ...) under QEMU -icount shift=0
# -smp 1, where instret counts guest instructions exactly, so a figure that
# grows is a real regression, never noise. Speed targets live here, never in
# timed tests. In a lab handout the check is skipped: the baseline counts the
# solution's code, and a student's may differ (or not exist yet).
BENCH_BASELINE := test/bench/baseline.json
BENCH = $(PYTHON) tools/bench.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
        --irqoff-kernel $(KERNEL_IRQOFF_ELF)

.PHONY: bench bench-baseline bench-check bench-selftest
bench: $(KERNEL_ELF) $(KERNEL_IRQOFF_ELF) $(FS_IMG)
	$(Q)$(BENCH) --baseline $(BENCH_BASELINE) --json $(B)/bench.json $(if $(HANDOUT_LAB),--handout)
	@echo "For information, not judged: the instructions from reset to the shell's first prompt (test/proc/bootbench.c;"
	@echo "they vary from run to run, as the instruction clock skips ahead while the hart waits for the disk),"
	$(Q)$(BENCH) --run initarg=1 --disk $(FS_IMG) | sed -n 's/^\(boot_to_shell\) *\([0-9]*\)\..*/\1: \2/p'
	@echo "and the wall time of usertests -q at the shell on one hart (make usertests: the full sizes):"
	$(Q)$(PYTHON) test/qemu/run.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
	  test/qemu/cases/usertests.test | sed -n 's/^\(PASS\|FAIL\) usertests (\(.*\))$$/usertests -q: \1 in \2/p'

bench-baseline: $(KERNEL_ELF) $(KERNEL_IRQOFF_ELF) $(FS_IMG)
	$(Q)$(BENCH) --update $(BENCH_BASELINE) --json $(B)/bench.json

bench-check: $(KERNEL_ELF) $(KERNEL_IRQOFF_ELF) $(FS_IMG)
	@echo "== instructions per operation against $(BENCH_BASELINE) (at most 2 % more)"
	@mkdir -p $(B)/test
	$(Q)if [ -n "$(HANDOUT_LAB)" ]; then \
	  echo "skipped in a lab handout: the baseline counts the solution's code"; \
	  echo "passed=0 failed=0" > $(B)/test/bench.result; \
	else \
	  $(BENCH) --check $(BENCH_BASELINE) --results $(B)/test/bench.result; \
	fi

bench-selftest:
	@echo "== tools/bench.py's own tests"
	@mkdir -p $(B)/test
	$(Q)$(PYTHON) test/bench/selftest.py --results $(B)/test/benchtool.result

# --- the process server's long run -----------------------------------------------
# N rounds of fork and kill (test/proc/proctest.c): free memory, slots, files
# and processes must be the same afterwards. make test runs 100 rounds
# (test/qemu/cases/proc_reclaim.test).
RECLAIM_N = $(or $(N),1000)
.PHONY: proc-reclaim
proc-reclaim: $(KERNEL_ELF)
	@mkdir -p $(B)/test
	$(Q)sed -e 's/reclaim=100/reclaim=$(RECLAIM_N)/; s/^timeout: .*/timeout: 600/' \
	  -e 's/^expect: \^proctest: 100 rounds/expect: ^proctest: $(RECLAIM_N) rounds/' \
	  test/qemu/cases/proc_reclaim.test > $(B)/test/proc_reclaim_$(RECLAIM_N).test
	$(Q)$(PYTHON) test/qemu/run.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
	  $(B)/test/proc_reclaim_$(RECLAIM_N).test

# --- usertests at full size ----------------------------------------------------
# make test runs usertests -q (test/qemu/cases/usertests.test): every test,
# smaller. This runs the same case with the full sizes (a file into the
# doubly indirect block, 200 files, ...): about a minute.
.PHONY: usertests
usertests: $(KERNEL_ELF) $(FS_IMG)
	@mkdir -p $(B)/test
	$(Q)sed -e 's/^send: usertests -q$$/send: usertests/; s/^timeout: .*/timeout: 600/' \
	  -e 's/^expect: \^usertests starting .*/expect: ^usertests starting$$/' \
	  test/qemu/cases/usertests.test > $(B)/test/usertests_full.test
	$(Q)$(PYTHON) test/qemu/run.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
	  $(B)/test/usertests_full.test

# --- reincarnation under load (make test-faults) -------------------------------
# tools/faults.py boots workloads that make a driver die while they use it
# (the console under root inject=1, the block driver under the fs's
# workload: test/guest/test_fsfaults.c) and counts faults injected, restarts, data errors and
# kernel panics. make test runs 20 faults a workload; make test-faults N=...
# runs N (1,000 by default).
FAULTS = $(PYTHON) tools/faults.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
         --dir $(B)/faults

.PHONY: test-faults faults-check
test-faults: $(KERNEL_ELF) $(FS_IMG)
	$(Q)$(FAULTS) --rounds $(or $(N),1000)

faults-check: $(KERNEL_ELF) $(FS_IMG)
	@echo "== reincarnation under load: 20 faults a driver (make test-faults: 1,000)"
	@mkdir -p $(B)/test
	$(Q)$(FAULTS) --rounds 20 --per-boot 20 --results $(B)/test/faults.result

# --- the capability fuzzer, for longer (make test-fuzz N=calls SEED=first) -----
# A kernel of its own whose boot image holds only test_fuzzcaps, built for
# ceil(N / 100,000) seeds of 100,000 calls from SEED on; its summary line
# says calls, seeds, panics and the books' verdict (docs/robustness.md).
FUZZ_N = $(or $(N),1000000)
FUZZ_SEED = $(or $(SEED),1)
FUZZ_DIR := $(B)/fuzz
FUZZ_DEFS = -DFUZZ_SEEDS=$$(( ($(FUZZ_N) + 99999) / 100000 )) -DFUZZ_SEED0=$(FUZZ_SEED)

.PHONY: test-fuzz
test-fuzz: $(USER_CRT0) $(USER_LIB) $(MKBOOTIMG) $(filter-out $(B)/kernel/kernel/bootimg.o,$(KERNEL_OBJS)) \
           $(B)/kernel/kernel/ksyms_empty.o
	@mkdir -p $(FUZZ_DIR)
	$(Q)$(CC) $(USER_CFLAGS) $(FUZZ_DEFS) -c -o $(FUZZ_DIR)/test_fuzzcaps.o test/guest/test_fuzzcaps.c
	$(Q)$(CC) $(LDFLAGS) -T linker/user.ld -o $(FUZZ_DIR)/test_fuzzcaps.elf $(USER_CRT0) \
	  $(FUZZ_DIR)/test_fuzzcaps.o $(USER_LIB) $(LIBGCC)
	$(Q)$(OBJCOPY) --strip-all $(FUZZ_DIR)/test_fuzzcaps.elf $(FUZZ_DIR)/test_fuzzcaps.stripped
	$(Q)$(MKBOOTIMG) -p $(FUZZ_DIR)/bootprogs.bin $(FUZZ_DIR)/bootimg.bin test_fuzzcaps=$(FUZZ_DIR)/test_fuzzcaps.stripped
	$(Q)$(CC) $(KERNEL_CFLAGS) -DBOOTIMG_PATH='"$(FUZZ_DIR)/bootimg.bin"' \
	  -DBOOTPROGS_PATH='"$(FUZZ_DIR)/bootprogs.bin"' -c -o $(FUZZ_DIR)/bootimg.o \
	  kernel/bootimg.S
	$(Q)$(CC) $(LDFLAGS) -T linker/kernel.ld -o $(FUZZ_DIR)/kernel.elf \
	  $(filter-out $(B)/kernel/kernel/bootimg.o,$(KERNEL_OBJS)) $(FUZZ_DIR)/bootimg.o $(B)/kernel/kernel/ksyms_empty.o $(LIBGCC)
	@echo "== test-fuzz: N=$(FUZZ_N) calls from seed $(FUZZ_SEED) (-icount, no time limit)"
	$(Q)$(QEMU) -machine virt -bios $(BIOS) -kernel $(FUZZ_DIR)/kernel.elf -m 128M -smp 1 \
	  -icount shift=0,sleep=off -nographic -serial stdio -monitor none -no-reboot \
	  -append root=test_fuzzcaps < /dev/null > $(FUZZ_DIR)/console.log 2>&1; \
	  grep -E '^test_fuzzcaps: seed|FAIL|^panic' $(FUZZ_DIR)/console.log; \
	  if grep -q '^panic' $(FUZZ_DIR)/console.log; then \
	    echo "fuzz: panics 1 (console: $(FUZZ_DIR)/console.log)"; exit 1; fi; \
	  grep '^fuzz: ' $(FUZZ_DIR)/console.log && grep -q '^fuzz: .* panics 0 books clean$$' $(FUZZ_DIR)/console.log

# --- figures in prose (tools/samples.py) -----------------------------------------
# Sample output and instruction counts in the Markdown come from a real run:
# `make samples` rewrites every marked block and figure, and the samples
# suite fails when one no longer says what the system prints. Skipped in a
# handout, whose code prints what the student's code does.
SAMPLE_FILES = $(shell grep -l -e '<!-- sample: ' -e '<!-- figure: ' README.md docs/*.md labs/*/README.md 2>/dev/null)
SAMPLES = $(PYTHON) tools/samples.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) --disk $(FS_IMG) \
          --irqoff-kernel $(KERNEL_IRQOFF_ELF)

.PHONY: samples samples-check
samples: $(KERNEL_ELF) $(KERNEL_IRQOFF_ELF) $(FS_IMG)
	$(Q)$(SAMPLES) --update $(SAMPLE_FILES)

samples-check: $(KERNEL_ELF) $(KERNEL_IRQOFF_ELF) $(FS_IMG)
	@echo "== sample output and figures in the prose against a real run"
	@mkdir -p $(B)/test
	$(Q)if [ -n "$(HANDOUT_LAB)" ]; then \
	  echo "skipped in a lab handout: the samples show the solution's output"; \
	  echo "passed=0 failed=0" > $(B)/test/samples.result; \
	else \
	  $(PYTHON) tools/samples.py --selftest && \
	  $(SAMPLES) --check --results $(B)/test/samples.result $(SAMPLE_FILES); \
	fi

# --- the IPC trace (make trace) ---------------------------------------------------
# A kernel variant with the trace hooks of kernel/trace.h compiled in, built
# in build/trace/, boots ARGS on the instruction clock; tools/trace.py shows
# the console and writes the messages as Chrome/Perfetto trace JSON.
TRACE_B := $(B)/trace
# $(call TRACE_RUN,boot arguments)
TRACE_RUN = $(PYTHON) tools/trace.py --qemu $(QEMU) --bios $(BIOS) --kernel $(TRACE_B)/kernel.elf \
            --args "$(1)" --out $(B)/trace.json

.PHONY: trace trace-kernel trace-check
trace-kernel:
	$(Q)$(MAKE) --no-print-directory B=$(TRACE_B) MICA_TRACE=1 $(TRACE_B)/kernel.elf

trace: trace-kernel
	$(Q)$(call TRACE_RUN,$(ARGS))

# test_ipc's 0-word call with label 7 (the fast path) and its reply, then the
# 5-word call with label 8 (the general path) and its reply, in that order.
# Skipped in a handout, where the IPC code may be the student's to write.
trace-check:
	@echo "== make trace: test_ipc's calls and replies in build/trace.json"
	@mkdir -p $(B)/test
	$(Q)if [ -n "$(HANDOUT_LAB)" ]; then \
	  echo "skipped in a lab handout"; echo "passed=0 failed=0" > $(B)/test/trace.result; \
	else \
	  set -o pipefail; $(MAKE) --no-print-directory trace-kernel && \
	  $(call TRACE_RUN,root=test_ipc) --results $(B)/test/trace.result \
	    --expect 'test_ipc>ipc_child:7' --expect 'ipc_child>test_ipc:8' \
	    --expect 'test_ipc>ipc_child:8' --expect 'ipc_child>test_ipc:9' | grep '^trace:'; \
	fi

# --- crash safety of the file system (tools/fscrash.py) -----------------------
# The power is cut at N points of a write-heavy workload, the machine boots
# again, and fsck and the files must say nothing was lost. make test runs
# 20 points (40 short boots); make test-crash N=500 runs more (FIRST=P: from point P on).
FSCRASH = $(PYTHON) tools/fscrash.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
          --mkfs $(MKFS) --fsck $(FSCK) --jobs 2
.PHONY: crash-tests test-crash
crash-tests: $(KERNEL_ELF) $(MKFS) $(FSCK)
	@echo "== file system crash safety (20 power cuts)"
	@mkdir -p $(B)/test
	$(Q)$(FSCRASH) -n 20 --results $(B)/test/crash.result

test-crash: $(KERNEL_ELF) $(MKFS) $(FSCK)
	$(Q)$(FSCRASH) -n $(if $(filter command line environment,$(origin N)),$(N),500) $(if $(FIRST),--first $(FIRST))
