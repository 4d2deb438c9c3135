#!/usr/bin/env bash
# Size of the web app's wasm as the release build ships it, and where the bytes go.
#
#   scripts/wasm-size.sh          trunk release build; raw and gzip -9 size of each file in dist/
#   scripts/wasm-size.sh --top N  also: the same wasm through wasm-bindgen and wasm-opt -Oz keeping the
#                                 function names, then twiggy's N largest items (the names section
#                                 aside, the sizes are those of the shipped file)
set -euo pipefail
cd "$(dirname "$0")/.."

top=0
if [[ "${1:-}" == "--top" ]]; then top="${2:-40}"; fi

(cd web && trunk build --release --offline >/dev/null 2>&1) || (cd web && trunk build --release --offline)
for f in dist/*.wasm dist/*.js dist/*.css; do
    printf '%-48s %8d B raw %8d B gzip\n' "$(basename "$f")" "$(stat -c%s "$f")" "$(gzip -9c "$f" | wc -c)"
done

if [[ "$top" != 0 ]]; then
    out=$(mktemp -d)
    cargo build --quiet --release --target wasm32-unknown-unknown -p podlife-web
    wasm-bindgen --target web --keep-debug --out-dir "$out" target/wasm32-unknown-unknown/release/podlife-web.wasm
    # What trunk runs (wasm-opt -Oz and web/index.html's data-wasm-opt-params), keeping the names
    # (-g) for twiggy.
    params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' web/index.html)
    # shellcheck disable=SC2086 # the parameters are words, as trunk splits them
    wasm-opt -Oz -g "$out/podlife-web_bg.wasm" $params -o "$out/named.wasm"
    twiggy top -n "$top" "$out/named.wasm"
    rm -rf "$out"
fi
