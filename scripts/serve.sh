#!/usr/bin/env bash
# Serves the podlife playground on http://127.0.0.1:8080, rebuilding on every change.
# Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac

bash "$ROOT/scripts/setup.sh"
cd "$ROOT/web"
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
