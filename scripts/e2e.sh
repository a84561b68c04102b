#!/usr/bin/env bash
# Runs the Playwright suite against the built app (dist/) and the debug server, which
# Playwright starts on a free port with a fresh temporary SQLite database and demo data.
# With CIVIC_E2E_STORE=postgres (inside scripts/with-postgres.sh), the database is a new
# one on that PostgreSQL server instead. Arguments go to `playwright test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

[ -f dist/index.html ] || { echo "no dist/: run 'trunk build --release --offline' first" >&2; exit 1; }
cargo build --locked -q -p civic-server

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
export CIVIC_E2E_PORT="$port"
# The example portal is served from a port (an origin) of its own.
portal_port="$(free_port)"
while [ "$portal_port" = "$port" ]; do portal_port="$(free_port)"; done
export CIVIC_E2E_PORTAL_PORT="$portal_port"
if [ "${CIVIC_E2E_STORE:-sqlite}" = postgres ]; then
  : "${CIVIC_TEST_POSTGRES:?CIVIC_E2E_STORE=postgres runs inside scripts/with-postgres.sh}"
  name="civic_e2e_$$"
  psql -q "$CIVIC_TEST_POSTGRES" -c "CREATE DATABASE $name"
  export CIVIC_E2E_DATABASE_URL="${CIVIC_TEST_POSTGRES%/*}/$name"
else
  export CIVIC_E2E_DATABASE_URL="sqlite://$work/e2e.db"
fi
export CIVIC_E2E_DATA_DIR="$work/data"
echo "Playwright: server on 127.0.0.1:$port, database $CIVIC_E2E_DATABASE_URL"
playwright test --config end2end/playwright.config.ts "$@"
