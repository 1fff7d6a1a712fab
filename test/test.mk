# test/test.mk - every test: host unit tests (Criterion), the QEMU harness's
# own tests, the QEMU integration tests, and the instruction counts of
# `make bench` against their baseline. `make check` runs them all and ends
# with one line "N passed, M failed" (tools/test-summary.sh).

# --- host unit tests -----------------------------------------------------------
# Generic kernel and lib code, compiled for the host and linked against a
# fake of kernel/riscv/arch.h (test/unit/fake_arch.c).
UNIT_CODE_SRCS := lib/errors.c lib/fmt.c lib/fdt.c lib/elf.c lib/bootimg.c \
                  lib/machine.c kernel/bootmem.c kernel/uaccess.c kernel/ksyms.c kernel/loader.c \
                  kernel/thread.c kernel/clock.c kernel/printk.c $(KERNEL_OBJECT_SRCS)
UNIT_TEST_SRCS := $(wildcard test/unit/*.c)
UNIT_C_SRCS    := $(UNIT_TEST_SRCS) $(UNIT_CODE_SRCS)
UNIT_OBJS      := $(patsubst %.c,$(B)/host/%.o,$(UNIT_C_SRCS))
UNIT_BIN       := $(B)/test/unit-tests
UNIT_CFLAGS     = $(HOST_CFLAGS) -DMICA_FAKE_ARCH -Ilib -Ikernel -Ikernel/riscv -Itest/unit

$(B)/host/%.o: %.c $(FLAGS_STAMP)
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

# lib/str.c defines memcpy & co.; on the host they are renamed mica_memcpy
# & co. so the test compares them with libc's instead of replacing libc's.
# str_copy has no libc twin and keeps its name.
$(B)/host/str_prefixed.o: lib/str.c
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -ffreestanding -fno-builtin -c -o $@.tmp.o $<
	$(Q)objcopy --prefix-symbols=mica_ $@.tmp.o $@.tmp2.o && \
	  objcopy --redefine-sym mica_str_copy=str_copy $@.tmp2.o $@ && rm -f $@.tmp.o $@.tmp2.o

$(UNIT_BIN): $(UNIT_OBJS) $(B)/host/str_prefixed.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ -lcriterion

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
           MICA_SAMPLE_ELF=$(B)/user/root.elf MICA_MKBOOTIMG=$(MKBOOTIMG)

.PHONY: check unit unit-select qemu-tests harness-selftest docs-check book-check
check: $(UNIT_BIN) $(B)/test/virt.dtb $(B)/test/virt-args.dtb $(KERNEL_ELF) $(MKBOOTIMG)
	$(Q)rm -f $(B)/test/*.result
	-$(Q)$(MAKE) --no-print-directory unit
	-$(Q)$(MAKE) --no-print-directory harness-selftest
	-$(Q)$(MAKE) --no-print-directory bench-selftest
	-$(Q)$(MAKE) --no-print-directory bench-check
	-$(Q)$(MAKE) --no-print-directory samples-check
	-$(Q)$(MAKE) --no-print-directory trace-check
	-$(Q)$(MAKE) --no-print-directory qemu-tests
	-$(Q)$(MAKE) --no-print-directory docs-check
	-$(Q)$(MAKE) --no-print-directory book-check
	-$(Q)$(MAKE) --no-print-directory labs-check
	$(Q)tools/test-summary.sh $(B)/test unit harness benchtool bench samples trace qemu docs book labs

unit: $(UNIT_BIN) $(B)/test/virt.dtb $(B)/test/virt-args.dtb $(B)/user/root.elf $(MKBOOTIMG)
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

qemu-tests: $(KERNEL_ELF)
	@echo "== QEMU integration tests"
	$(Q)$(PYTHON) test/qemu/run.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF) \
	  --jobs 2 --results $(B)/test/qemu.result $(QEMU_CASES)

docs-check:
	@echo "== docs name only functions that exist"
	$(Q)mkdir -p $(B)/test && tools/check-docs.sh $(B)/test/docs.result

# make docs, then every link of the rendered book must lead somewhere and
# every `name()` and `path` must resolve (tools/check-book.py).
book-check:
	@echo "== the book renders; every link, name and file it cites resolves"
	$(Q)mkdir -p $(B)/test && tools/book.sh $(B)/docs && $(PYTHON) tools/check-book.py --selftest && \
	  $(PYTHON) tools/check-book.py $(B)/docs --results $(B)/test/book.result

# --- instruction counts (make bench) -------------------------------------------
# tools/bench.py boots test/guest/bench.c as root under QEMU -icount shift=0
# -smp 1, where instret counts guest instructions exactly, so a figure that
# grows is a real regression, never noise. Speed targets live here, never in
# timed tests. In a lab handout the check is skipped: the baseline counts the
# solution's code, and a student's may differ (or not exist yet).
BENCH_BASELINE := test/bench/baseline.json
BENCH = $(PYTHON) tools/bench.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF)

.PHONY: bench bench-baseline bench-check bench-selftest
bench: $(KERNEL_ELF)
	$(Q)$(BENCH) --baseline $(BENCH_BASELINE) --json $(B)/bench.json $(if $(HANDOUT_LAB),--handout)

bench-baseline: $(KERNEL_ELF)
	$(Q)$(BENCH) --update $(BENCH_BASELINE) --json $(B)/bench.json

bench-check: $(KERNEL_ELF)
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

# --- figures in prose (tools/samples.py) -----------------------------------------
# Sample output and instruction counts in the Markdown come from a real run:
# `make samples` rewrites every marked block and figure, and the samples
# suite fails when one no longer says what the system prints. Skipped in a
# handout, whose code prints what the student's code does.
SAMPLE_FILES = $(shell grep -l -e '<!-- sample: ' -e '<!-- figure: ' README.md docs/*.md labs/*/README.md 2>/dev/null)
SAMPLES = $(PYTHON) tools/samples.py --qemu $(QEMU) --bios $(BIOS) --kernel $(KERNEL_ELF)

.PHONY: samples samples-check
samples: $(KERNEL_ELF)
	$(Q)$(SAMPLES) --update $(SAMPLE_FILES)

samples-check: $(KERNEL_ELF)
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
