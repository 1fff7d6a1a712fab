#!/bin/sh
# check-docs.sh [RESULT_FILE] - every function the book names in backticks,
# like `kmain()`, must be defined somewhere in the source (a line that starts
# a definition: type, name, parenthesis, not ending in ';'). Book text points
# at names, never at line numbers; this keeps the names true.
# Prints each missing name. The whole check is one test: RESULT_FILE gets
# "passed=1 failed=0" or "passed=0 failed=1".
result=${1:-/dev/null}
top=$(dirname "$0")/..
cd "$top" || exit 2
names=$(grep -ohE '`[A-Za-z_][A-Za-z0-9_]*\(\)`' docs/*.md | tr -d '`()' | sort -u)
passed=0
failed=0
for name in $names; do
	if grep -rqE "^[A-Za-z].*[^A-Za-z0-9_]$name\([^;]*\)?[^;]*$" --include='*.c' --include='*.h' kernel lib user test/guest tools; then
		passed=$((passed + 1))
	else
		echo "docs: $name() is named in docs/ but defined nowhere"
		failed=$((failed + 1))
	fi
done
echo "docs: $passed function names checked, $failed missing"
if [ "$failed" -eq 0 ]; then
	echo "passed=1 failed=0" > "$result"
else
	echo "passed=0 failed=1" > "$result"
	exit 1
fi
