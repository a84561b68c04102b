#!/usr/bin/env bash
# The app in WebKit (WebKitGTK: the engine family of iOS Safari and WeChat on iOS), in both
# languages: tests/webkit/walk.py walks home, filing to the confirmation, tracking with the
# code, the board with a search, a document and statistics, and fails on a page error.
# Starts the debug server on a free port with a fresh SQLite database and demo data, serving
# the built app in dist/; runs the browser under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "no dist/: run 'trunk build --release --offline' first" >&2; exit 1; }
python="$(scripts/install-tools.sh webkit-python)"
source scripts/demo-server.sh
CIVIC_FILING_RATE=1000/60 start_demo_server --static-dir dist

# WebKitGTK's DMA-BUF renderer fails without a GPU; the shared-memory one works under Xvfb.
WEBKIT_DISABLE_DMABUF_RENDERER=1 xvfb-run -a --server-args="-screen 0 1280x1024x24" \
  "$python" tests/webkit/walk.py "http://127.0.0.1:$port"
