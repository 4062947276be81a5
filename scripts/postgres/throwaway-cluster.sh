#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start` initdb's a cluster into a new temp
# directory, starts it on a free loopback port with fsync off, creates the database
# `switchboard_test` and prints its URL on stdout (the directory is remembered in
# $SWITCHBOARD_PG_STATE, default /tmp/switchboard-throwaway-pg.state). `stop` stops it and
# deletes the directory. Needs Debian's `postgresql` package (binaries in
# /usr/lib/postgresql/*/bin); as root it runs the server as the `postgres` user.
# Fails, saying why, when PostgreSQL is missing or cannot start.
set -euo pipefail

state="${SWITCHBOARD_PG_STATE:-/tmp/switchboard-throwaway-pg.state}"

die() { echo "throwaway-cluster: $*" >&2; exit 1; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
      "$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || echo /nonexistent)")")"; do
    [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/createdb" ] && { echo "$dir"; return; }
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port log
  bin="$(find_bin)" || die "PostgreSQL is not installed (apt-get install -y postgresql); no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin"
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root, but there is no 'postgres' user to run the server as (the postgresql package creates it)"
  fi
  dir="$(mktemp -d /tmp/switchboard-pg.XXXXXX)"
  chmod 0755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  log="$dir/server.log"
  if ! as_owner "$bin/initdb" -D "$dir/data" -U switchboard --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed (log above)"
  fi
  port="$(free_port)"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null 2>&1; then
    cat "$log" >&2 || true
    die "pg_ctl start failed on port $port (server log above)"
  fi
  if ! as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U switchboard switchboard_test 2>"$dir/createdb.log"; then
    cat "$dir/createdb.log" >&2
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    die "createdb failed"
  fi
  printf '%s\n%s\n' "$dir" "$bin" >"$state"
  echo "postgres://switchboard@127.0.0.1:$port/switchboard_test?sslmode=disable"
}

stop() {
  [ -f "$state" ] || { echo "throwaway-cluster: nothing to stop" >&2; return 0; }
  local dir bin
  dir="$(sed -n 1p "$state")"
  bin="$(sed -n 2p "$state")"
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  case "$dir" in /tmp/switchboard-pg.*) rm -rf "$dir" ;; esac
  rm -f "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
