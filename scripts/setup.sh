#!/usr/bin/env bash
# Installs what podlife needs and this machine lacks, from the package registries only
# (crates.io, Debian, npm): nothing is downloaded from release pages. Idempotent: when everything
# is present it only checks versions and takes a few seconds.
#
#   rustup target wasm32-unknown-unknown     the core and the web app compile to it
#   Debian chromium, chromium-driver, fonts  headless browser for the browser and end-to-end tests
#   npm binaryen@132 (wasm-opt)              Debian's binaryen is too old for current rustc output
#   cargo trunk 0.22.1                       builds and serves web/
#   cargo wasm-bindgen-cli (= Cargo.lock)    trunk and wasm-bindgen-test-runner need the exact version
#   npm ci in tests/e2e                      playwright-core, pinned by its package-lock.json
#   npm ci in web/editor                      CodeMirror 6 and esbuild for the editor chunk, pinned
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.22.1"
BINARYEN_VERSION="132"
DEBIAN_PACKAGES=(chromium chromium-driver fonts-liberation)
LOG_DIR="${TMPDIR:-/tmp}/podlife-setup"

export DEBIAN_FRONTEND=noninteractive
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a long, chatty install with its output in a log file; shows the log's end if it fails.
run_logged() {
    local name="$1"; shift
    local log="$LOG_DIR/$name.log"
    mkdir -p "$LOG_DIR"
    if ! "$@" >"$log" 2>&1 </dev/null; then
        tail -n 30 "$log" >&2
        die "$name failed (full log: $log)"
    fi
}

debian_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_wasm_target() {
    command -v rustup >/dev/null || die "rustup not found: install Rust with rustup first"
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding rustup target wasm32-unknown-unknown"
        run_logged rustup-target rustup target add wasm32-unknown-unknown
    fi
}

ensure_debian_packages() {
    local missing=() pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        debian_installed "$pkg" || missing+=("$pkg")
    done
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    if [ "${#missing[@]}" -gt 0 ]; then
        say "apt-get install ${missing[*]}"
        run_logged apt-update as_root apt-get update -qq
        run_logged apt-install as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    # Debian's binaryen (108) cannot parse current rustc output and shadows the npm wasm-opt.
    if debian_installed binaryen; then
        say "removing Debian's binaryen (too old; npm's binaryen@$BINARYEN_VERSION replaces it)"
        run_logged apt-remove-binaryen as_root apt-get remove -y -qq binaryen
        hash -r
    fi
}

wasm_opt_version_ok() {
    command -v wasm-opt >/dev/null && wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"
}

ensure_wasm_opt() {
    if ! wasm_opt_version_ok; then
        say "npm install -g binaryen@$BINARYEN_VERSION.0.0 (wasm-opt)"
        run_logged npm-binaryen as_root npm install -g --no-audit --no-fund "binaryen@$BINARYEN_VERSION.0.0"
        hash -r
        wasm_opt_version_ok || die "wasm-opt on PATH ($(command -v wasm-opt || echo none)) is not version $BINARYEN_VERSION"
    fi
}

ensure_trunk() {
    if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
        say "cargo install trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
        # trunk's own fat-LTO release profile nearly doubles the build time; its rust-version (1.96.1)
        # is newer than it needs.
        CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
            run_logged cargo-install-trunk \
            cargo install --locked --ignore-rust-version trunk --version "$TRUNK_VERSION"
    fi
}

# The wasm-bindgen version the workspace is locked to; the CLI must match it exactly.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { found = 1; next }
         found && /^version = / { gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen_cli() {
    local version
    version="$(locked_wasm_bindgen_version)"
    [ -n "$version" ] || die "no wasm-bindgen in Cargo.lock"
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ] ||
        ! wasm-bindgen-test-runner --version 2>/dev/null | grep -qx "wasm-bindgen-test-runner $version"; then
        say "cargo install wasm-bindgen-cli $version (about 3 minutes)"
        # --locked can fail: the CLI's lockfile pins crates the registry no longer has.
        if ! cargo install --locked wasm-bindgen-cli --version "$version" \
            >"$LOG_DIR/cargo-install-wasm-bindgen-locked.log" 2>&1 </dev/null; then
            say "  --locked failed; installing with fresh dependency resolution"
            run_logged cargo-install-wasm-bindgen cargo install --force wasm-bindgen-cli --version "$version"
        fi
    fi
}

# `npm ci` in DIR (log NAME) when its package-lock.json is newer than what node_modules holds;
# the rest of the arguments run before npm (an env assignment) or are npm's extra flags after `--`.
#   ensure_npm_ci DIR NAME MESSAGE [ENV=VALUE...] [-- NPM-FLAGS...]
ensure_npm_ci() {
    local dir="$1" name="$2" message="$3"
    shift 3
    local envs=() flags=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    flags=("$@")
    [ -f "$dir/package-lock.json" ] || return 0
    if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
        [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        say "$message"
        run_logged "$name" env "${envs[@]}" npm ci --prefix "$dir" --no-audit --no-fund "${flags[@]}"
    fi
}

ensure_e2e_node_modules() {
    ensure_npm_ci "$ROOT/tests/e2e" npm-ci-e2e \
        "npm ci in tests/e2e (playwright-core; uses /usr/bin/chromium, downloads no browser)" \
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
}

# The manifest editor's npm packages (CodeMirror 6, esbuild), pinned by web/editor/package-lock.json;
# scripts/build-editor.sh bundles them. --ignore-scripts: esbuild's binary comes as an npm package
# (@esbuild/linux-x64), so its install script, which could download one, is not needed.
ensure_editor_node_modules() {
    ensure_npm_ci "$ROOT/web/editor" npm-ci-editor \
        "npm ci in web/editor (CodeMirror 6 and esbuild for the editor chunk)" \
        -- --ignore-scripts
}

main() {
    mkdir -p "$LOG_DIR"
    local start=$SECONDS
    ensure_wasm_target
    ensure_debian_packages
    ensure_wasm_opt
    ensure_trunk
    ensure_wasm_bindgen_cli
    ensure_e2e_node_modules
    ensure_editor_node_modules
    say "ready in $((SECONDS - start))s ($(trunk --version), $(wasm-bindgen --version), wasm-opt $BINARYEN_VERSION, $(chromium --version 2>/dev/null | head -n 1))"
}

main "$@"
