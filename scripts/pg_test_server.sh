# Sourced by ./run tests: start a throw-away PostgreSQL server for the test suite.
# Loopback only, data in a temporary folder, removed on exit. Exports QCODE_TEST_PG_URL.
# Installs Debian's postgresql package when no server binary is found and we are root.

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

pg_test_server_start() {
  if [ -n "${QCODE_TEST_PG_URL:-}" ]; then
    echo "== PostgreSQL: using QCODE_TEST_PG_URL"
    return 0
  fi
  local bin
  if ! bin=$(pg_bin_dir); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== PostgreSQL: installing Debian's postgresql package"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(pg_bin_dir) || { echo "PostgreSQL install failed" >&2; return 1; }
    else
      echo "== PostgreSQL: no server binary; PostgreSQL tests will be skipped (fail in CI)"
      return 0
    fi
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/qcode-pg.XXXXXX)
  local run_as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TEST_DIR"
    run_as=(runuser -u postgres --)
  fi
  local port=$(( 50000 + RANDOM % 10000 ))
  "${run_as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust --no-sync >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c max_connections=200" start >/dev/null
  PG_TEST_BIN=$bin
  export QCODE_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "== PostgreSQL: test server on 127.0.0.1:$port"
}

pg_test_server_stop() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    local run_as=()
    [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
