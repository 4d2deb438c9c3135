#!/usr/bin/env bash
# Tests scripts/check-ran-tests.sh on sample outputs of the runners scripts/test.sh uses (cargo test,
# wasm-bindgen-test-runner, node --test with its TAP and spec reporters): it must pass when at least
# one test passed and fail when none ran. Runs in well under a second; test.sh runs it first.
set -euo pipefail

CHECK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-ran-tests.sh"
FAILURES=0

# expect ok|fail DESCRIPTION, with the runner's output on stdin.
expect() {
    local want="$1" what="$2" got out
    if out="$(bash "$CHECK" sample - 2>&1)"; then got=ok; else got=fail; fi
    if [ "$got" = "$want" ]; then
        printf 'ok    %s\n' "$what"
    else
        printf 'WRONG %s: expected %s, got %s (%s)\n' "$what" "$want" "$got" "$out"
        FAILURES=$((FAILURES + 1))
    fi
}

# expect_count N DESCRIPTION: the check passes and counts N tests.
expect_count() {
    local n="$1" what="$2" out
    out="$(bash "$CHECK" sample - 2>&1)" || true
    if [ "$out" = "check-ran-tests: sample: $n tests passed" ]; then
        printf 'ok    %s\n' "$what"
    else
        printf 'WRONG %s: expected %s tests, got: %s\n' "$what" "$n" "$out"
        FAILURES=$((FAILURES + 1))
    fi
}

expect ok "cargo test: one binary with tests, one without" <<'EOF'
     Running unittests src/lib.rs (target/debug/deps/podlife_web-0123)
running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

     Running tests/share_link.rs (target/debug/deps/share_link-4567)
running 4 tests
test opens_a_link ... ok

test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s
EOF

expect_count 7 "cargo test: the passed tests of every binary are added up" <<'EOF'
test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s
test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.10s
EOF

expect fail "cargo test: every binary ran 0 tests" <<'EOF'
     Running tests/hello_page.rs (target/wasm32-unknown-unknown/debug/deps/hello_page-89ab.wasm)
running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
EOF

expect fail "cargo test: every test filtered out or ignored" <<'EOF'
test result: ok. 0 passed; 0 failed; 2 ignored; 0 measured; 5 filtered out; finished in 0.00s
EOF

expect fail "wasm-bindgen-test-runner: no tests to run" <<'EOF'
     Running unittests src/lib.rs (target/wasm32-unknown-unknown/debug/deps/podlife_web-cdef.wasm)
no tests to run!
EOF

expect_count 3 "wasm-bindgen-test-runner: colour codes around ok" <<EOF
Running headless tests in Chrome on \`http://127.0.0.1:40171/\`
running 3 tests
test result: $(printf '\033[32m')ok$(printf '\033[0m'). 3 passed; 0 failed; 0 ignored; 0 filtered out; finished in 2.01s
EOF

expect ok "node --test, TAP reporter" <<'EOF'
# Subtest: comparison view
    # Subtest: the seeds' Job
    ok 1 - the seeds' Job
1..1
# tests 5
# suites 1
# pass 5
# fail 0
# cancelled 0
# skipped 0
# todo 0
# duration_ms 30512.4
EOF

expect fail "node --test, TAP reporter, every test skipped" <<'EOF'
1..2
# tests 3
# suites 1
# pass 0
# fail 0
# cancelled 0
# skipped 3
# todo 0
EOF

expect_count 12 "node --test, spec reporter" <<'EOF'
▶ comparison view
  ✔ the seeds' Job (3012.2ms)
ℹ tests 12
ℹ suites 4
ℹ pass 12
ℹ fail 0
ℹ cancelled 0
ℹ skipped 0
ℹ todo 0
ℹ duration_ms 41020.9
EOF

expect fail "node --test found no file" <<'EOF'
Could not find '/work/tests/e2e/nomatch.test.mjs'
EOF

expect fail "empty output" </dev/null

expect fail "a test named like a summary line is not one" <<'EOF'
    # pass 3 when the sidecar is ready
  ✔ ℹ pass 4 in the title
EOF

if ! bash "$CHECK" 2>/dev/null; then
    printf 'ok    %s\n' "no arguments: usage error"
else
    printf 'WRONG %s\n' "no arguments must fail"
    FAILURES=$((FAILURES + 1))
fi

if [ "$FAILURES" -ne 0 ]; then
    printf '%s check(s) of check-ran-tests.sh went wrong\n' "$FAILURES" >&2
    exit 1
fi
echo "check-ran-tests.sh: all checks passed"
