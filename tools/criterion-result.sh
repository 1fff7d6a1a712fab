#!/bin/sh
# criterion-result.sh LOG - turn Criterion's closing "Synthesis:" line into
# "passed=N failed=M" (crashes count as failures). No such line: one failure.
line=$(grep 'Synthesis:' "$1" | tail -n 1)
if [ -z "$line" ]; then
	echo "passed=0 failed=1"
	exit 0
fi
# Synthesis: Tested: 12 | Passing: 11 | Failing: 1 | Crashing: 0
passing=$(echo "$line" | sed -n 's/.*Passing: *\([0-9]*\).*/\1/p')
failing=$(echo "$line" | sed -n 's/.*Failing: *\([0-9]*\).*/\1/p')
crashing=$(echo "$line" | sed -n 's/.*Crashing: *\([0-9]*\).*/\1/p')
echo "passed=${passing:-0} failed=$(( ${failing:-0} + ${crashing:-0} ))"
