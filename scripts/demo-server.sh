# Sourced by the scripts that test against a running server (schemathesis.sh, webkit.sh):
# `start_demo_server [FLAG…]` builds the debug server and starts it on a free loopback port
# with a fresh SQLite database and demo data, waits until it answers, and sets `port`,
# `work` (its temporary folder, with `server.log`) and a trap that stops it and removes the
# folder on exit. Settings not given as flags come from the caller's environment;
# CIVIC_SERVER_BIN names another (already built) server binary, e.g. the release one.
start_demo_server() {
  local bin="${CIVIC_SERVER_BIN:-target/debug/civic-server}"
  [ -n "${CIVIC_SERVER_BIN:-}" ] || cargo build --locked -q -p civic-server
  work="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  CIVIC_DEMO=1 RUST_LOG="${RUST_LOG:-warn}" "$bin" --addr "127.0.0.1:$port" \
    --database-url "sqlite://$work/civic.db" --data-dir "$work/data" "$@" \
    > "$work/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.2
  done
  cat "$work/server.log"
  return 1
}
