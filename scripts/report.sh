#!/usr/bin/env bash
# The playground's size and speed report (numbers, not a test): sizes of the release build (raw and
# gzip -9; the lazily loaded editor chunk apart) and, in headless Chromium, load → first timeline,
# keystroke → updated timeline (p50/p95 over 50 edits) and playback frame times.
# Usage: bash scripts/report.sh [--no-build]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac

if [ "${1:-}" != "--no-build" ]; then
    (cd web && trunk build --release --offline) >/dev/null 2>&1 || { echo "trunk build failed" >&2; exit 1; }
fi

size_row() { # label, files...
    local label="$1"; shift
    local raw=0 gz=0 f
    for f in "$@"; do
        raw=$((raw + $(stat -c%s "$f")))
        gz=$((gz + $(gzip -9c "$f" | wc -c)))
    done
    printf '| %s | %s | %s |\n' "$label" "$(numfmt --to=si --suffix=B --format='%.1f' "$raw")" "$(numfmt --to=si --suffix=B --format='%.1f' "$gz")"
    echo "$gz" >>"$TOTAL"
}

TOTAL="$(mktemp)"
echo "Sizes of dist/ (release build):"
echo
echo "| file | raw | gzip -9 |"
echo "|---|---|---|"
size_row "wasm" dist/*.wasm
size_row "JS glue" $(ls dist/*.js)
size_row "CSS" dist/*.css
size_row "index.html" dist/index.html
FIRST="$(awk '{s+=$1} END {print s}' "$TOTAL")"
printf '| **before the editor chunk** | | **%s** |\n' "$(numfmt --to=si --suffix=B --format='%.1f' "$FIRST")"
if compgen -G "dist/editor/*.js" >/dev/null; then
    size_row "editor chunk (lazy)" dist/editor/*.js
fi
rm -f "$TOTAL"
echo

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory dist "$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "http://127.0.0.1:$PORT/" 2>/dev/null && break
    sleep 0.2
done
echo "Speed in headless Chromium ($(nproc) cores, $(chromium --version 2>/dev/null | head -1)):"
echo
(cd tests/e2e && PODLIFE_URL="http://127.0.0.1:$PORT/" node report.mjs)
