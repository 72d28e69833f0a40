#!/usr/bin/env bash
# mypy beside pytest, for `make test`: the tests spend much of their time waiting on their own servers
# and processes, so one more worker than cores, and mypy (about 12 s from a clean clone, on one core)
# in the background, finish sooner than one after the other. mypy's report is printed after the tests';
# the exit status is the tests' (5 when none ran), else mypy's.
set -u
bin=$1
report=$(mktemp)
"$bin/mypy" > "$report" 2>&1 &
mypy=$!
"$bin/pytest" -n "$(( $(nproc) + 1 ))" --dist worksteal
tests=$?
wait "$mypy"
types=$?
cat "$report"
rm -f "$report"
if [ "$tests" -ne 0 ]; then exit "$tests"; fi
exit "$types"
