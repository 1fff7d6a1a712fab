#!/bin/sh
# kernel-lines.sh [--files | --check RESULT | --update] - how many code lines
# are linked into the kernel image: every *.c, *.h and *.S under kernel/
# plus the lib/ files of LIB_KERNEL_SRCS (lib/lib.mk, read from make so it
# is the list the build uses). A code line is one that is not blank and not
# only a comment (// comments and /* */ blocks are taken out first).
#   (no option)     print the total
#   --files         print each file's count, biggest first, then the total
#   --check RESULT  docs/README.md states the total and the budget: pass if
#                   the kernel fits the budget and the stated total is the
#                   real one; writes "passed=N failed=M". Skipped in a lab
#                   handout: the figures count the solution's code, and a
#                   student's differs.
#   --update        rewrite the total stated in docs/README.md
doc=docs/README.md
cd "$(dirname "$0")/.." || exit 2

files=$(find kernel -name '*.[chS]' | sort)
lib=$(make -s --no-print-directory -pq 2>/dev/null | sed -n 's/^LIB_KERNEL_SRCS := //p' | head -1)
[ -n "$lib" ] || { echo "kernel-lines: LIB_KERNEL_SRCS not found in make's database" >&2; exit 2; }

count() {
	sed -e 's://.*$::' "$@" | awk '/\/\*/{c=1}{l=$0} c&&/\*\//{c=0;sub(/.*\*\//,"",l);if(l~/[^[:space:]]/)n++;next} c{next} l~/[^[:space:]]/{n++} END{print n+0}'
}
# 3500 -> 3,500, the way the book writes numbers.
commas() {
	echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# shellcheck disable=SC2086
total=$(count $files $lib)
stated=$(sed -n 's/.* is \([0-9,]*\) code lines.*/\1/p' "$doc" | head -1 | tr -d ,)
budget=$(sed -n 's/.*the budget is \([0-9,]*\)\..*/\1/p' "$doc" | head -1 | tr -d ,)

case "$1" in
"")
	echo "$total"
	;;
--files)
	for f in $files $lib; do
		printf '%5d %s\n' "$(count "$f")" "$f"
	done | sort -rn
	printf '%5d total (budget %s, %s)\n' "$total" "$budget" "$doc"
	;;
--check)
	failed=0
	if [ -f labs/HANDOUT ]; then
		echo "kernel-lines: skipped in a lab handout: the budget counts the solution's code"
		echo "passed=0 failed=0" > "${2:-/dev/null}"
		exit 0
	fi
	if [ -z "$stated" ] || [ -z "$budget" ]; then
		echo "kernel-lines: $doc does not say 'is N code lines' and 'the budget is M.'"
		failed=1
	elif [ "$total" -gt "$budget" ]; then
		echo "kernel-lines: the kernel is $total code lines, over the budget of $budget"
		failed=1
	elif [ "$total" -ne "$stated" ]; then
		echo "kernel-lines: $doc says $stated code lines, the kernel is $total: run make kernel-lines-docs"
		failed=1
	else
		echo "kernel-lines: $total code lines, budget $budget"
	fi
	echo "passed=$((1 - failed)) failed=$failed" > "${2:-/dev/null}"
	exit "$failed"
	;;
--update)
	[ -n "$stated" ] || { echo "kernel-lines: no 'is N code lines' in $doc" >&2; exit 1; }
	sed -i "s/ is [0-9,]* code lines/ is $(commas "$total") code lines/" "$doc"
	echo "kernel-lines: $doc now says $(commas "$total")"
	;;
*)
	echo "usage: tools/kernel-lines.sh [--files | --check RESULT | --update]" >&2
	exit 2
	;;
esac
