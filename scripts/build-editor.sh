#!/usr/bin/env bash
# Bundles the manifest editor (web/editor: CodeMirror 6, YAML, lint) into one minified ES module,
# web/editor/dist/podlife-editor.js, with the esbuild pinned in web/editor/package-lock.json.
# trunk runs this as a pre_build hook (web/Trunk.toml) and copies the result to dist/editor/.
# A no-op when the bundle is newer than its sources and the lockfile.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EDITOR="$ROOT/web/editor"
ESBUILD="$EDITOR/node_modules/.bin/esbuild"
OUT="$EDITOR/dist/podlife-editor.js"

die() { printf 'build-editor: ERROR: %s\n' "$*" >&2; exit 1; }

if [ ! -x "$ESBUILD" ] || [ ! -f "$EDITOR/node_modules/.package-lock.json" ]; then
    die "web/editor/node_modules is missing: run scripts/setup.sh (it runs npm ci in web/editor)"
fi
if [ "$EDITOR/package-lock.json" -nt "$EDITOR/node_modules/.package-lock.json" ]; then
    die "web/editor/node_modules is older than package-lock.json: run scripts/setup.sh"
fi

# Up to date when the bundle is newer than every input.
if [ -f "$OUT" ] && [ -z "$(find "$EDITOR/src" "$EDITOR/package-lock.json" "${BASH_SOURCE[0]}" -newer "$OUT" -print -quit)" ]; then
    exit 0
fi

mkdir -p "$EDITOR/dist"
"$ESBUILD" "$EDITOR/src/podlife-editor.js" \
    --bundle --format=esm --minify --target=es2020 \
    --legal-comments=none --log-level=warning \
    --banner:js="/*! podlife-editor: CodeMirror 6, Lezer, style-mod, crelt, w3c-keyname, find-cluster-break (MIT licence, (c) Marijn Haverbeke and others) */" \
    --outfile="$OUT.tmp"
mv "$OUT.tmp" "$OUT"
printf 'build-editor: %s (%s bytes, %s gzip)\n' "${OUT#"$ROOT/"}" \
    "$(wc -c <"$OUT")" "$(gzip -9c "$OUT" | wc -c)"
