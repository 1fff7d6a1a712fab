#!/bin/sh
# test-summary.sh DIR SUITE... - add up DIR/SUITE.result files ("passed=N
# failed=M") and print the closing line "N passed, M failed". A suite that
# left no result (it did not build, or crashed) counts as one failure.
# Exits 0 only if nothing failed.
dir=$1
shift
passed=0
failed=0
for suite in "$@"; do
	f="$dir/$suite.result"
	p=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\1/p' "$f" 2>/dev/null)
	m=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\2/p' "$f" 2>/dev/null)
	if [ -z "$p" ] || [ -z "$m" ]; then
		echo "summary: suite '$suite' produced no result; counting it as one failure"
		p=0
		m=1
	fi
	printf '  %-10s %4d passed, %d failed\n' "$suite" "$p" "$m"
	passed=$((passed + p))
	failed=$((failed + m))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
