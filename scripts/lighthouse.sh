#!/usr/bin/env bash
# `make lighthouse`: Lighthouse (mobile preset: simulated slow 4G, 4x CPU slowdown) against
# the release app served by the release civic-server with demo data, three runs per route,
# then a table of medians with the spread (scripts/lighthouse-table.mjs). A measurement for
# notes and issues, not a test: on a shared 2-core machine one run swings by ±10 points.
# CIVIC_LIGHTHOUSE_RUNS=5 for more runs; the JSON reports stay in target/lighthouse/<time>/.
# CIVIC_LIGHTHOUSE_THROTTLING=devtools throttles the browser for real instead of simulating
# from an unthrottled load (Lighthouse's default): the simulation counts in a paint's time every
# request that had finished before that paint on this machine's loopback, such as the wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] && [ -x target/release/civic-server ] \
  || { echo "no release build: run 'make build' first" >&2; exit 1; }
lighthouse="$(scripts/install-tools.sh lighthouse-path)"
source scripts/demo-server.sh
CIVIC_SERVER_BIN=target/release/civic-server start_demo_server --static-dir dist
base="http://127.0.0.1:$port"
first() { curl -sf "$base/api/v1/$1" | python3 -c "import json, sys; print(json.load(sys.stdin)['items'][0]['$2'])"; }
case_number="$(first 'cases?limit=1&sort=replied' number)"
document="$(first 'documents?limit=1' id)"
routes=(/ /file /track /cases "/cases/$case_number" /documents "/documents/$document" /announcements /statistics)
runs="${CIVIC_LIGHTHOUSE_RUNS:-3}"
out="target/lighthouse/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "Lighthouse $("$lighthouse" --version), $runs runs per route, throttling: ${CIVIC_LIGHTHOUSE_THROTTLING:-simulate}, reports in $out" >&2
for route in "${routes[@]}"; do
  name="$(printf '%s' "$route" | tr -c 'A-Za-z0-9-' '_')"
  for run in $(seq 1 "$runs"); do
    echo "  $route, run $run" >&2
    CHROME_PATH=/usr/bin/chromium "$lighthouse" "$base$route" --quiet \
      --only-categories=performance,accessibility --throttling-method="${CIVIC_LIGHTHOUSE_THROTTLING:-simulate}" --output=json --output-path="$out/$name.$run.json" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
  done
done
node scripts/lighthouse-table.mjs "$out" | tee "$out/table.md"
