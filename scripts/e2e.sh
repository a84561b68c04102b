#!/usr/bin/env bash
# Runs the Playwright suite against the built app (dist/) and the debug server, which
# Playwright starts on a free port with a fresh temporary SQLite database and demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

[ -f dist/index.html ] || { echo "no dist/: run 'trunk build --release --offline' first" >&2; exit 1; }
cargo build --locked -q -p civic-server

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export CIVIC_E2E_PORT="$port"
export CIVIC_E2E_DATABASE_URL="sqlite://$work/e2e.db"
export CIVIC_E2E_DATA_DIR="$work/data"
echo "Playwright: server on 127.0.0.1:$port, database $work/e2e.db"
playwright test --config end2end/playwright.config.ts "$@"
