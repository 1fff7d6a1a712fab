# labs/labs.mk - the lab machinery's targets (labs/README.md): lint the lab
# markers, cut a handout, grade a tree (or one test of it), pack a student's
# submission, package a Gradescope autograder, and
# the `labs` suite of make check.
#
# A handout knows it is one by labs/HANDOUT (the lab's folder name, written
# by make handout): there the lab's own QEMU cases and unit-test selections
# leave the qemu and unit suites and run, graded, as the labs suite, so make
# test fails exactly the lab's tests.

LAB ?=
HANDOUT_LAB := $(strip $(shell cat labs/HANDOUT 2>/dev/null))

# Guest test programs print the grader's token when they pass; a plain
# build gets a fixed one, the grader writes a fresh one before it builds.
GRADE_TOKEN_H := $(B)/grade/grade_token.h
USER_CFLAGS += -I$(B)/grade
$(GUEST_PROGS:%=$(B)/user/test/guest/%.o): | $(GRADE_TOKEN_H)
$(GRADE_TOKEN_H):
	@mkdir -p $(@D)
	$(Q)echo '#define GRADE_TOKEN "no-token: not built by the grader"' > $@

ifneq ($(HANDOUT_LAB),)
QEMU_CASES := $(filter-out $(shell sed -n 's/^case: *//p' labs/$(HANDOUT_LAB)/grade.conf),$(QEMU_CASES))
# So do its unit tests (run: make -s unit-select TESTS='...'): make unit skips them.
LAB_UNIT_TESTS := $(shell sed -n "s/^run: .*unit-select TESTS='\([^']*\)'.*/\1/p" \
                    labs/$(HANDOUT_LAB)/grade.conf | paste -sd'|' -)
endif

.PHONY: lint-labs handout grade submit gradescope labs-check labs-settings need-lab
need-lab:
	@[ -n "$(LAB)" ] || { echo "say which lab: make $(MAKECMDGOALS) LAB=1 (labs/ has $$(ls -d labs/[0-9][0-9]-* | sed 's|labs/||' | tr '\n' ' '))" >&2; exit 2; }

lint-labs:
	$(Q)$(PYTHON) labs/lint

handout: need-lab
	$(Q)$(PYTHON) labs/handout --lab $(LAB) --out $(B)/handout

gradescope: need-lab
	$(Q)$(PYTHON) labs/handout --lab $(LAB) --gradescope $(B)/gradescope

# The grader runs make itself (with its token), with the settings given here.
# TEST=name runs that one test (TEST=a,b several).
grade: need-lab
	$(Q)TOOLPREFIX='$(TOOLPREFIX)' QEMU='$(QEMU)' BIOS='$(BIOS)' $(PYTHON) labs/grade --lab $(LAB) --here \
	  $(if $(TEST),--test '$(TEST)')

# Students: build/submit/lab-N.tar.gz, exactly what the grader takes.
submit: need-lab
	$(Q)$(PYTHON) labs/submit --lab $(LAB) --out $(B)/submit

labs-check:
	@echo "== labs: markers, handouts, grading"
	@mkdir -p $(B)/test
	$(Q)$(PYTHON) labs/selftest --results $(B)/test/labs.result

# What the grader asks the (trusted) Makefile before it runs QEMU.
labs-settings:
	@echo "QEMU=$(QEMU)"
	@echo "BIOS=$(BIOS)"
	@echo "KERNEL=$(KERNEL_ELF)"
