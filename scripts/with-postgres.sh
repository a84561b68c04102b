#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a throwaway PostgreSQL cluster on a free loopback port, runs COMMAND with
# CIVIC_TEST_POSTGRES set to its admin URL (postgres://postgres@127.0.0.1:PORT/postgres),
# then stops the cluster and deletes its folder, whether COMMAND succeeds, fails or the
# script is interrupted. Exits with COMMAND's status. If CIVIC_TEST_POSTGRES is already
# set, nothing is started and COMMAND runs against that server. With CIVIC_PG_KEEP=DIR the
# cluster lives in DIR and is kept (stopped) afterwards, for data worth keeping between runs
# (the benchmark's million cases). Installs Debian's
# `postgresql` package when no server binaries are found (as root, or through sudo).
#
# Note: a SIGTERM sent to this script alone takes effect once COMMAND returns (bash waits
# for its foreground child); Ctrl-C reaches the whole process group and stops both at once.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# A developer's own server: use it as is.
if [[ -n "${CIVIC_TEST_POSTGRES:-}" ]]; then
  exec "$@"
fi

sudo=""
if [[ $EUID -ne 0 ]]; then sudo="sudo"; fi

# The highest installed version's bin folder, e.g. /usr/lib/postgresql/15/bin.
find_bin() {
  local initdb
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  if [[ -x "$initdb" ]]; then dirname "$initdb"; fi
}

bin=$(find_bin)
if [[ -z "$bin" ]]; then
  echo "==> Installing PostgreSQL (Debian package)" >&2
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null  # env: sudo drops DEBIAN_FRONTEND
  bin=$(find_bin)
  if [[ -z "$bin" ]]; then echo "no initdb under /usr/lib/postgresql after install" >&2; exit 1; fi
  # The package may have started its own cluster (e.g. 15/main on 5432); we don't use it.
  $sudo pg_ctlcluster "$(basename "$(dirname "$bin")")" main stop 2>/dev/null || true
fi
version=$(basename "$(dirname "$bin")")

# initdb refuses to run as root: then run the server tools as the postgres user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A port nothing listens on (the kernel's pick when python3 exists, else a random probe).
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

keep="${CIVIC_PG_KEEP:-}"
if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  dir=$(cd "$keep" && pwd)
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/civic-pg.XXXXXX")
fi
if [[ $EUID -eq 0 ]]; then
  chown postgres: "$dir"
fi
if ! as_pg test -w "$dir"; then
  echo "the postgres user cannot reach $dir (a parent folder is closed to it);" \
    "set CIVIC_PG_KEEP (or TMPDIR) to a folder it can reach" >&2
  if [[ -z "$keep" ]]; then rm -rf "$dir"; fi
  exit 1
fi
port=""

# shellcheck disable=SC2317  # run by the EXIT trap, not unreachable
cleanup() {
  trap '' INT TERM  # finish cleaning up even on a second Ctrl-C
  if [[ -e "$dir/postmaster.pid" ]]; then
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    if [[ -n "$keep" ]]; then
      echo "==> PostgreSQL on 127.0.0.1:$port stopped, kept in $dir" >&2
    else
      echo "==> PostgreSQL on 127.0.0.1:$port stopped, $dir removed" >&2
    fi
  fi
  if [[ -z "$keep" ]]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --no-sync: a throwaway cluster need not survive a machine crash (saves ~1 s).
if [[ ! -e "$dir/PG_VERSION" ]]; then
  out=$(as_pg "$bin/initdb" --no-sync -D "$dir" -A trust -E UTF8 --locale=C.UTF-8 -U postgres 2>&1) ||
    { echo "$out" >&2; exit 1; }
fi

# Up to three ports, in case another process grabs the chosen one first.
for attempt in 1 2 3; do
  port=$(free_port)
  if as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w -o \
    "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 -c shared_buffers=128MB" \
    start >/dev/null; then
    break
  fi
  if [[ $attempt -eq 3 ]]; then
    echo "==> PostgreSQL failed to start; its log:" >&2
    cat "$dir/log" >&2
    exit 1
  fi
done
kind=throwaway
if [[ -n "$keep" ]]; then kind=kept; fi
echo "==> PostgreSQL $version on 127.0.0.1:$port ($kind, $dir)" >&2

export CIVIC_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
status=0
"$@" || status=$?
exit "$status"
