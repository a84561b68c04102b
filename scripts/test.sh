#!/usr/bin/env bash
# Runs every check and test, in order from cheapest to dearest, and stops at the first
# failure: format, lints, Rust tests (the server's on SQLite, then on a throwaway
# PostgreSQL, with the chaos test), API fuzzing, browser unit tests, the release build with its size
# budget, then the Playwright suite against a fresh server and the walk in WebKit. Prints each step's time.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

started=$(date +%s)
step() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  "$@"
  printf '    (%s: %ss)\n' "$name" "$(( $(date +%s) - t0 ))"
}

step "Installing missing tools" scripts/install-tools.sh test
step "cargo fmt --check" cargo fmt --all --check
step "clippy (native)" cargo clippy --locked --workspace --all-targets -- -D warnings
step "clippy (wasm app)" cargo clippy --locked -p civic --target wasm32-unknown-unknown --all-targets --features split -- -D warnings
step "Rust tests (server integration tests on SQLite)" cargo test --locked --workspace
# The same integration suite on PostgreSQL, in a throwaway cluster started and removed here:
# the very test binary the step above built (asking cargo again would rebuild with other
# features), run from the server's folder as cargo runs it.
# The chaos test (ignored by the step above: it needs PostgreSQL) runs there too, shortened.
test_binary() {
  cargo test --locked --workspace --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if (m.get("reason") == "compiler-artifact" and m["target"]["kind"] == ["test"]
            and m["target"]["name"] == sys.argv[1] and m.get("executable")):
        print(m["executable"])' "$1"
}
api_tests=$(test_binary api)
chaos_test=$(test_binary chaos)
step "Server integration tests on PostgreSQL, and the chaos test (make chaos, shortened)" \
  env CIVIC_TEST_STORE=postgres CIVIC_CHAOS_SECONDS=9 scripts/with-postgres.sh \
  sh -c 'cd crates/server && "$0" && "$1" --ignored --nocapture' "$api_tests" "$chaos_test"
step "API fuzzing (schemathesis --checks all, as a resident and as staff, 90 s each)" \
  scripts/schemathesis.sh 90
step "Browser unit tests (wasm-bindgen-test, headless Chromium)" \
  env CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked -p civic --target wasm32-unknown-unknown --test web
step "Release build of the app" trunk build --release --offline
step "What a visitor is sent (first load and every deep link at most 200 KiB with headers, at most 6 wasm files)" target/debug/civic-size dist --budget-kib 200 --deep-link-kib 200 --max-wasm-files 6
step "Playwright end-to-end suite" scripts/e2e.sh
step "WebKit walk (the engine of iOS Safari and WeChat on iOS), both languages" scripts/webkit.sh
step "Playwright smoke on PostgreSQL" \
  env CIVIC_E2E_STORE=postgres scripts/with-postgres.sh scripts/e2e.sh smoke_store --project phone

printf '\nAll checks passed in %ss.\n' "$(( $(date +%s) - started ))"
