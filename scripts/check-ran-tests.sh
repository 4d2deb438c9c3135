#!/usr/bin/env bash
# Reads a test runner's output and fails unless it ran at least one test, so that a step whose
# runner found nothing to run (a renamed test file, a glob that matches nothing, a cfg that hides
# every test) cannot pass in silence. scripts/test.sh calls it after the browser and end-to-end steps.
#
#   check-ran-tests.sh NAME FILE     (FILE may be -, for standard input)
#
# It understands two summaries, and adds up every one it finds (colour codes are ignored):
#   cargo test, wasm-bindgen-test-runner   "test result: ok. 12 passed; 0 failed; ..."  (one per binary)
#   node --test (TAP or spec reporter)     "# pass 12" or "ℹ pass 12"                    (one per run)
# It prints one line saying how many tests passed, and exits 1 when that is 0 or when it finds no
# summary at all. It does not judge failures: the runner's own exit status does.
set -euo pipefail

# Prints the number of passed tests the output on stdin reports, or nothing when it has no summary.
passed_tests() {
    sed -e 's/\x1b\[[0-9;]*m//g' | awk '
        /^test result: [A-Za-z]+\. [0-9]+ passed/ { total += $4; found = 1 }
        /^(# |ℹ )pass [0-9]+[[:space:]]*$/ { total += $3; found = 1 }
        END { if (found) print total + 0 }
    '
}

main() {
    if [ "$#" -ne 2 ]; then
        echo "usage: $0 NAME FILE (FILE may be -)" >&2
        return 2
    fi
    local name="$1" file="$2" passed
    if [ "$file" = - ]; then
        passed="$(passed_tests)"
    else
        passed="$(passed_tests <"$file")"
    fi
    if [ -z "$passed" ]; then
        echo "check-ran-tests: $name: the runner printed no test summary, so no test is known to have run" >&2
        return 1
    fi
    if [ "$passed" -eq 0 ]; then
        echo "check-ran-tests: $name: 0 tests passed: the runner found nothing to run" >&2
        return 1
    fi
    echo "check-ran-tests: $name: $passed tests passed"
}

main "$@"
