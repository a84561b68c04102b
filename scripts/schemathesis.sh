#!/usr/bin/env bash
# Fuzzes the API against its own OpenAPI document with schemathesis (`--checks all`): starts
# the debug server on a free port with a fresh SQLite database and demo data (limits raised,
# so the fuzzer meets the rules rather than the rate limits), then runs it twice: as a
# resident (no credentials) and as staff (the bearer token). Seeded and bounded in time;
# any finding fails. One worker: CPython 3.11 can fail parsing in two threads at once
# ("AST constructor recursion depth mismatch"), which hypothesis does. tests/schemathesis/hooks.py lists the few rules OpenAPI cannot state.
# Usage: scripts/schemathesis.sh [seconds per run, default 75]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-75}"
st="$(scripts/install-tools.sh schemathesis-path)"
token="schemathesis-staff-token-$$-$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")"
source scripts/demo-server.sh
# No app to serve: the fuzzer meets the API alone.
CIVIC_FILING_RATE=1000000/1 CIVIC_UPLOAD_RATE=1000000/1 CIVIC_STAFF_AUTH_FAILURES=1000000/1 \
  CIVIC_TRACKING_CODE_FAILURES=1000000/1 CIVIC_STAFF_TOKEN="$token" \
  start_demo_server --static-dir /nonexistent-civic-app

export SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$PWD/tests/schemathesis"
run() {
  local who="$1"; shift
  echo "schemathesis as $who: up to ${seconds}s"
  "$st" --no-color run "http://127.0.0.1:$port/api/openapi.json" --checks all --seed 1 \
    --max-examples 25 --max-time "$seconds" --workers 1 "$@"
}
status=0
run "a resident" || status=1
run "staff" -H "Authorization: Bearer $token" || status=1
if grep -E " (ERROR|panicked)" "$work/server.log"; then
  echo "the server logged errors under fuzzing (above)" >&2
  status=1
fi
exit $status
