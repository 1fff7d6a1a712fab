# labs/labs.mk - the lab machinery's make targets (labs/README.md).

# Guest test programs print the grader's token when they pass; a plain
# build gets a fixed one, the grader writes a fresh one before it builds.
GRADE_TOKEN_H := $(B)/grade/grade_token.h
USER_CFLAGS += -I$(B)/grade
$(GUEST_PROGS:%=$(B)/user/test/guest/%.o): | $(GRADE_TOKEN_H)
$(GRADE_TOKEN_H):
	@mkdir -p $(@D)
	$(Q)echo '#define GRADE_TOKEN "no-token: not built by the grader"' > $@
