#!/usr/bin/env bash
# Runs the built Swift suites for `make test-swift`. When a run fails, its failing lines are printed
# again at the end (CI keeps only a log's tail), and the suites run once more: a failure that does
# not repeat is reported as FLAKY, with the first run's failing lines, and does not fail the build;
# one that repeats fails it.
set -uo pipefail
log="${SWIFT_TEST_LOG:-.build/swift-test.log}"
mkdir -p "$(dirname "$log")"
rm -f "$log.first"

failing_lines() { grep -E '✘|: error: |Fatal error|Test Case .* failed|Crash|signal [0-9]' "$1" | grep -v '✔' | head -60; }

swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && exit 0
cp "$log" "$log.first"
echo "---- the Swift suites failed (exit $status); running them once more. The failing lines:"
failing_lines "$log.first"

swift test --skip-build "$@" > "$log" 2>&1
again=$?
if [ "$again" -eq 0 ]; then
    echo "---- FLAKY: the second run passed. The first run's failing lines (whole log: $log.first):"
    failing_lines "$log.first"
    exit 0
fi
echo "---- the Swift suites failed twice (exit $again). The second run's failing lines (whole log: $log):"
failing_lines "$log"
exit "$again"
