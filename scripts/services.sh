#!/usr/bin/env bash
# Private PostgreSQL and Redis servers for the service tests (scripts/test-services.sh), on loopback only.
#
#   eval "$(scripts/services.sh start)"   start both (installing the Debian packages when missing) and
#                                         export their connection settings into the calling shell
#   scripts/services.sh env               print those export lines again (servers already running)
#   scripts/services.sh status            say whether each server answers
#   scripts/services.sh stop              stop both and delete their data
#
# Everything lives in AJWT_SERVICES_DIR (default: a directory under /tmp named after this checkout, so that
# the postgres user can reach it even when the checkout sits in a private home): a throw-away PostgreSQL cluster
# (trust authentication, fsync off) and a Redis server without persistence, each on a free port that is
# picked at start. When run as root (CI), PostgreSQL runs as the `postgres` user, which refuses root.
#
# Exported: AJWT_PG_HOST AJWT_PG_PORT AJWT_PG_USER AJWT_PG_DB AJWT_REDIS_URL AJWT_REDIS_SERVER
#           AJWT_SERVICES_DIR
# Only the export lines go to stdout; progress and errors go to stderr.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
DIR="${AJWT_SERVICES_DIR:-${TMPDIR:-/tmp}/ajwt-services-$(printf '%s' "$ROOT" | cksum | cut -d ' ' -f 1)}"
ENV_FILE="$DIR/env"
PG_DIR="$DIR/postgres"
REDIS_DIR="$DIR/redis"
PG_USER=ajwt
PG_DB=ajwt
START_TIMEOUT=30


pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_servers() {
    if [ -n "$(pg_bindir || true)" ] && command -v redis-server >/dev/null; then
        return
    fi
    log "installing postgresql and redis-server (Debian packages)"
    ensure_packages services
    [ -n "$(pg_bindir || true)" ] || fail "PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin"
    command -v redis-server >/dev/null || fail "redis-server not found"
}

# Runs a PostgreSQL program as the user that owns the cluster.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

redis_ping() {
    local port="$1" reply=""
    if command -v redis-cli >/dev/null; then
        reply=$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null || true)
    else
        reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null || true)
    fi
    [[ "$reply" == *PONG* ]]
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

redis_pid() { [ -f "$REDIS_DIR/redis.pid" ] && cat "$REDIS_DIR/redis.pid" || true; }

pg_running() {
    local bindir
    bindir=$(pg_bindir || true)
    [ -n "$bindir" ] && [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

start_postgres() {
    local bindir="$1" port="$2"
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
    log "PostgreSQL ($bindir): initdb"
    as_pg "$bindir/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; fail "initdb failed"; }
    # Loopback TCP only (no Unix socket, so no system directory is needed); durability is not wanted here.
    as_pg tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<EOF

# scripts/services.sh: private test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 60
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    log "PostgreSQL: starting on 127.0.0.1:$port"
    as_pg "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t "$START_TIMEOUT" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2 || true; fail "PostgreSQL did not start"; }
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -qAt -c "CREATE DATABASE $PG_DB" >/dev/null \
        || fail "could not create database $PG_DB"
}

start_redis() {
    local port="$1" server
    server=$(command -v redis-server)
    rm -rf "$REDIS_DIR"
    mkdir -p "$REDIS_DIR"
    log "Redis ($server): starting on 127.0.0.1:$port"
    "$server" --bind 127.0.0.1 --port "$port" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
        --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" --save '' --appendonly no >/dev/null
    local waited=0
    until redis_ping "$port"; do
        waited=$((waited + 1))
        if [ "$waited" -gt $((START_TIMEOUT * 10)) ]; then
            cat "$REDIS_DIR/redis.log" >&2 || true
            fail "Redis did not answer on port $port"
        fi
        sleep 0.1
    done
}

write_env() {
    local pg_port="$1" redis_port="$2"
    cat >"$ENV_FILE" <<EOF
export AJWT_SERVICES_DIR='$DIR'
export AJWT_PG_HOST=127.0.0.1
export AJWT_PG_PORT=$pg_port
export AJWT_PG_USER=$PG_USER
export AJWT_PG_DB=$PG_DB
export AJWT_REDIS_URL='redis://127.0.0.1:$redis_port/0'
export AJWT_REDIS_SERVER='$(command -v redis-server)'
EOF
}

running() {
    [ -f "$ENV_FILE" ] || return 1
    local port
    port=$(sed -n "s|^export AJWT_REDIS_URL='redis://127.0.0.1:\([0-9]*\)/0'|\1|p" "$ENV_FILE")
    pg_running && pid_alive "$(redis_pid)" && redis_ping "$port"
}

cmd_start() {
    ensure_servers
    mkdir -p "$DIR"
    if running; then
        log "already running (reusing; 'stop' ends them)"
        cat "$ENV_FILE"
        return
    fi
    cmd_stop 2>/dev/null || true
    mkdir -p "$DIR"
    local bindir pg_port redis_port
    bindir=$(pg_bindir)
    pg_port=$(free_port)
    redis_port=$(free_port)
    [ "$pg_port" != "$redis_port" ] || redis_port=$(free_port)
    start_postgres "$bindir" "$pg_port"
    start_redis "$redis_port"
    write_env "$pg_port" "$redis_port"
    log "ready"
    cat "$ENV_FILE"
}

cmd_stop() {
    local bindir pid waited
    bindir=$(pg_bindir || true)
    if [ -n "$bindir" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        log "PostgreSQL: stopping"
        as_pg "$bindir/pg_ctl" -D "$PG_DIR/data" -m fast -w -t "$START_TIMEOUT" stop >/dev/null 2>&1 \
            || as_pg "$bindir/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t "$START_TIMEOUT" stop >/dev/null 2>&1 || true
    fi
    pid=$(redis_pid)
    if pid_alive "$pid"; then
        log "Redis: stopping (pid $pid)"
        kill "$pid" 2>/dev/null || true
        waited=0
        while pid_alive "$pid" && [ "$waited" -lt $((START_TIMEOUT * 10)) ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$PG_DIR" "$REDIS_DIR" "$ENV_FILE" "$DIR/initdb.log"
    rmdir "$DIR" 2>/dev/null || true
}

cmd_env() {
    running || fail "not running (start them with: eval \"\$(scripts/services.sh start)\")"
    cat "$ENV_FILE"
}

cmd_status() {
    local ok=0
    if pg_running; then log "PostgreSQL: running"; else log "PostgreSQL: stopped"; ok=1; fi
    if pid_alive "$(redis_pid)"; then log "Redis: running"; else log "Redis: stopped"; ok=1; fi
    return "$ok"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
