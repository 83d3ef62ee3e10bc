#!/usr/bin/env bash
# The demo, from a fresh clone: installs what the machine lacks, builds the `ajwt` tool and the Python
# package, starts the example Django service (python/example) on loopback with a fresh SQLite
# database, creates a user, generates a key pair with `ajwt keygen`, registers its public key for the
# user, then sends signed requests from Python (requests + asymmetric_jwt_auth) and from the shell
# (ajwt sign + curl) and checks every answer: authenticated as the user; a replayed token, a tampered
# token and an unregistered key are rejected. Stops the service and exits 0 only if every check passed.
#
# Reuses what is already there: the CMake build directory (configured like scripts/test.sh when new),
# the virtualenv of scripts/test-python.sh (the package is reinstalled only when its sources changed).
#
# Environment:
#   AJWT_BUILD_DIR     CMake build directory for the ajwt tool (default: build)
#   AJWT_CLI           an already-built ajwt binary to use instead of building one
#   AJWT_PY_VENV       the virtualenv (default: .venv-test)
#   AJWT_PY_BUILD_DIR  scikit-build-core's build directory (default: as scripts/test-python.sh)
#   AJWT_JOBS          parallel compile jobs (default: nproc)
#   AJWT_DEMO_USER     the user to create (default: demo-user)
#   PYTHON             interpreter to create the virtualenv with (default: python3)
# Relative paths are taken from the repository root, as in scripts/test.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
cd "$ROOT"

BUILD_DIR="${AJWT_BUILD_DIR:-$ROOT/build}"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
default_py_build_dir="$ROOT/build-python/{wheel_tag}"  # a brace inside ${...:-} would end it early
PY_BUILD_DIR="${AJWT_PY_BUILD_DIR:-$default_py_build_dir}"
JOBS="${AJWT_JOBS:-$(nproc)}"
PYTHON="${PYTHON:-python3}"
DEMO_USER="${AJWT_DEMO_USER:-demo-user}"
EXAMPLE_DIR="$ROOT/python/example"
# Absolute, since later steps run from other directories.
BUILD_DIR="$(realpath -m "$BUILD_DIR")" VENV="$(realpath -m "$VENV")" PY_BUILD_DIR="$(realpath -m "$PY_BUILD_DIR")"
[ -z "${AJWT_CLI:-}" ] || AJWT_CLI="$(realpath -m "$AJWT_CLI")"

export PYTHONIOENCODING=utf-8 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
# The example service, whatever the caller's environment says (client.py runs without: it only signs).
export DJANGO_SETTINGS_MODULE=example_service.settings

if [ -t 1 ]; then
    bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' off=$'\e[0m'
else
    bold='' green='' red='' dim='' off=''
fi
# The demo's own presentation (colours, numbered steps) in place of lib.sh's step.
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
info() { printf '   %-14s %s\n' "$1" "$2"; }
shown() { printf '   %s$ %s%s\n' "$dim" "$*" "$off"; }
die() { printf '%sdemo: %s%s\n' "$red" "$*" "$off" >&2; exit 1; }

# ---- clean-up: whatever happens, the service stops and the temporary files go ----------------------

workdir=""
server_pid=""
server_log=""

stop_server() {
    [ -n "$server_pid" ] || return 0
    local pid="$server_pid" i
    server_pid=""
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    printf '   service stopped (pid %s)\n' "$pid"
}

cleanup() {
    local rc=$?
    trap - EXIT
    stop_server
    if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ -n "$server_log" ] && [ -s "$server_log" ]; then
        printf '\n--- service log (last 40 lines) ---\n' >&2
        tail -n 40 "$server_log" >&2
    fi
    [ -z "$workdir" ] || rm -rf "$workdir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- 1. system packages -------------------------------------------------------------------------------

install_system_packages() {
    step "1/5 system packages"
    ensure_packages  # the base set holds curl, which only the demo needs
    echo "   all present"
}

# ---- 2. the ajwt command-line tool -----------------------------------------------------------------------

AJWT_BIN=""

build_cli() {
    step "2/5 the ajwt command-line tool"
    if [ -n "${AJWT_CLI:-}" ]; then
        [ -x "$AJWT_CLI" ] || die "AJWT_CLI=$AJWT_CLI is not an executable"
        AJWT_BIN="$AJWT_CLI"
    else
        if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
            # The flags of scripts/test.sh, so that it reuses this build directory as it is.
            cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJWT_BUILD_TESTS=ON
        elif ! grep -q '^AJWT_BUILD_CLI:BOOL=ON$' "$BUILD_DIR/CMakeCache.txt"; then
            cmake -S "$ROOT" -B "$BUILD_DIR" -DAJWT_BUILD_CLI=ON
        fi
        cmake --build "$BUILD_DIR" --target ajwt_cli -j "$JOBS"
        AJWT_BIN="$BUILD_DIR/capi/cli/ajwt"
    fi
    [ -x "$AJWT_BIN" ] || die "no ajwt binary at $AJWT_BIN"
    info "ajwt" "$AJWT_BIN ($("$AJWT_BIN" --version))"
}

# The name the printed commands use.
ajwt() { "$AJWT_BIN" "$@"; }

# ---- 3. the Python environment -------------------------------------------------------------------------

PY=""

# The installed native module, if the venv has this package (and not upstream's pure-Python 1.x).
installed_native_module() {
    (cd / && "$PY" -c 'import asymmetric_jwt_auth._native as n; print(n.__file__)' 2>/dev/null) || true
}

# A source file of the wheel newer than its installed copy means the install is stale.
package_is_stale() {
    local native="$1"
    [ -n "$native" ] || return 0
    local newer
    newer=$(find "$ROOT/CMakeLists.txt" "$ROOT/pyproject.toml" "$ROOT/core" "$ROOT/include" "$ROOT/capi/src" \
        "$ROOT/capi/CMakeLists.txt" "$ROOT/capi/ajwt.map" "$ROOT/python" \
        \( -path "$EXAMPLE_DIR" -o -name __pycache__ \) -prune -o -type f -newer "$native" -print -quit 2>/dev/null)
    [ -n "$newer" ]
}

setup_python() {
    step "3/5 Python environment"
    PY="$VENV/bin/python"
    # The same virtualenv, made the same way, as scripts/test-python.sh.
    if [ ! -x "$PY" ] || ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        echo "   creating $VENV"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
        "$PY" -m pip install -q --upgrade pip
    fi
    if ! (cd / && "$PY" -c 'import django, requests, scikit_build_core, pybind11') 2>/dev/null; then
        echo "   installing Django, requests and the build tools"
        "$PY" -m pip install -q --upgrade-strategy only-if-needed \
            "scikit-build-core>=0.11" "pybind11>=2.12" "django>=4.2" "requests>=2.28"
    fi
    if package_is_stale "$(installed_native_module)"; then
        echo "   building and installing libajwt-django, the package asymmetric_jwt_auth (pip install .)"
        # A virtualenv from before the rename holds the same files under upstream's distribution name.
        "$PY" -m pip uninstall -q -y asymmetric-jwt-auth 2>/dev/null || true
        CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$JOBS}" \
            "$PY" -m pip install -q --no-build-isolation --no-deps --force-reinstall \
            --config-settings=build-dir="$PY_BUILD_DIR" "$ROOT"
    fi
    [ -n "$(installed_native_module)" ] || die "asymmetric_jwt_auth._native is not importable from $VENV"
    info "virtualenv" "$VENV"
    info "package" "$(cd / && "$PY" -c 'import importlib.metadata as m; print("libajwt-django", m.version("libajwt-django"))')"
}

# ---- 4. the example service ------------------------------------------------------------------------------

PORT=""
BASE_URL=""

manage() { (cd "$EXAMPLE_DIR" && "$PY" manage.py "$@"); }

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_until_serving() {
    local i
    for i in $(seq 300); do  # start-up includes generating the middleware's stand-in keys
        kill -0 "$server_pid" 2>/dev/null || die "the service exited during start-up"
        if curl -s -o /dev/null --max-time 1 "$BASE_URL/whoami"; then
            return 0
        fi
        sleep 0.2
    done
    die "the service did not answer on $BASE_URL within 60 s"
}

start_service() {
    step "4/5 the example Django service (python/example)"
    workdir="$(mktemp -d "${TMPDIR:-/tmp}/ajwt-demo.XXXXXX")"
    server_log="$workdir/service.log"
    export EXAMPLE_DB_PATH="$workdir/db.sqlite3"

    manage migrate --noinput -v 0
    manage createcachetable  # the default cache (JWKS key sets) is a database table
    info "database" "$EXAMPLE_DB_PATH (SQLite, migrated)"

    shown "ajwt keygen --type ed25519 --out client.pem --pub-out client.pub"
    (cd "$workdir" && ajwt keygen --type ed25519 --out client.pem --pub-out client.pub)
    info "key pair" "client.pem (Ed25519, kid $(ajwt fingerprint "$workdir/client.pem"))"

    shown "python manage.py add_public_key $DEMO_USER client.pub --create-user"
    manage add_public_key "$DEMO_USER" "$workdir/client.pub" --create-user --comment "demo key from ajwt keygen" |
        sed 's/^/   /'

    PORT="$(free_port)"
    BASE_URL="http://127.0.0.1:$PORT"
    # One process (threads, no autoreloader), so the pid below is the whole service.
    (cd "$EXAMPLE_DIR" && exec "$PY" manage.py runserver "127.0.0.1:$PORT" --noreload) >"$server_log" 2>&1 &
    server_pid=$!
    wait_until_serving
    info "service" "$BASE_URL (pid $server_pid, log $server_log)"
}

# ---- 5. signed requests ------------------------------------------------------------------------------------

shell_failures=0
log_offset=0
reason=""

# Sets $reason: why the service rejected the requests since the last call, from its log.
read_server_reason() {
    local line
    line=$("$PY" "$EXAMPLE_DIR/server_log.py" "$server_log" "$log_offset") || line="$log_offset	"
    log_offset=${line%%$'\t'*}
    reason=${line#*$'\t'}
}

# GET /whoami with an optional Authorization header; prints the status code, leaves the body in $workdir/body.
get_whoami() {
    local args=(-s -o "$workdir/body" -w '%{http_code}' --max-time 10)
    [ -z "${1:-}" ] || args+=(-H "Authorization: $1")
    local code
    code=$(curl "${args[@]}" "$BASE_URL/whoami") || true
    printf '%s' "${code:-000}"
}

report() {  # ok label detail
    local mark="${green}✔${off}" plain="${2//→/>}"  # "→" is one column but three bytes: pad by the ASCII twin
    if [ "$1" != 1 ]; then
        mark="${red}✘${off}"
        shell_failures=$((shell_failures + 1))
    fi
    printf '  %s %s%*s %s\n' "$mark" "$2" "$((48 - ${#plain}))" '' "$3"
}

expect_rejected() {  # label status (call right after the request, for the log's reason)
    local ok=0
    read_server_reason
    [ "$2" = 401 ] && ok=1
    report "$ok" "$1" "$2${reason:+ (server: $reason)}"
}

shell_checks() {
    printf '\n %sFrom the shell (ajwt sign + curl):%s\n' "$bold" "$off"
    local header status body username token signature first tampered stale_time
    log_offset=$(stat -c %s "$server_log")

    shown "curl -H \"Authorization: \$(ajwt sign --key client.pem --user $DEMO_USER --header)\" $BASE_URL/whoami"
    header=$(ajwt sign --key "$workdir/client.pem" --user "$DEMO_USER" --header)
    status=$(get_whoami "$header")
    body=$(cat "$workdir/body")
    read_server_reason
    username=$(printf '%s' "$body" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["username"])' 2>/dev/null || true)
    report "$([ "$status" = 200 ] && [ "$username" = "$DEMO_USER" ] && echo 1)" "authenticated as $DEMO_USER" "$status $body"

    status=$(get_whoami "$header")
    expect_rejected "same token replayed → rejected" "$status"

    # A fresh token with the first character of its signature changed; header and claims stay as signed.
    header=$(ajwt sign --key "$workdir/client.pem" --user "$DEMO_USER" --header)
    token=${header#JWT }
    signature=${token##*.}
    first=${signature:0:1}
    if [ "$first" = A ]; then first=B; else first=A; fi
    tampered="JWT ${token%.*}.${first}${signature:1}"
    status=$(get_whoami "$tampered")
    read_server_reason
    # The untouched token still passes: the rejection was the tampering, not the token.
    if [ "$(get_whoami "$header")" = 200 ]; then
        report "$([ "$status" = 401 ] && echo 1)" "tampered token → rejected" "$status${reason:+ (server: $reason)}"
    else
        report 0 "tampered token → rejected" "$status; the untampered token failed too"
    fi
    read_server_reason

    shown "ajwt keygen --out stranger.pem --pub-out stranger.pub   # never registered"
    (cd "$workdir" && ajwt keygen --out stranger.pem --pub-out stranger.pub)
    header=$(ajwt sign --key "$workdir/stranger.pem" --user "$DEMO_USER" --header)
    status=$(get_whoami "$header")
    expect_rejected "token signed by an unregistered key → rejected" "$status"

    stale_time=$(($(date +%s) - 60))
    header=$(ajwt sign --key "$workdir/client.pem" --user "$DEMO_USER" --time "$stale_time" --header)
    status=$(get_whoami "$header")
    expect_rejected "token signed 60 s ago → rejected" "$status"
}

signed_requests() {
    step "5/5 signed requests to $BASE_URL/whoami"
    local python_rc=0
    printf '\n %sFrom Python (requests + asymmetric_jwt_auth, python/example/client.py):%s\n' "$bold" "$off"
    env -u DJANGO_SETTINGS_MODULE "$PY" "$EXAMPLE_DIR/client.py" "$BASE_URL" --user "$DEMO_USER" --key "$workdir/client.pem" \
        --server-log "$server_log" || python_rc=$?
    shell_checks

    step "stopping the service"
    stop_server
    if [ "$python_rc" -ne 0 ] || [ "$shell_failures" -ne 0 ]; then
        die "FAILED: $([ "$python_rc" -ne 0 ] && echo "Python client checks failed; ")$shell_failures shell check(s) failed"
    fi
}

step "libajwt demo: asymmetric-key JWT authentication of a Django service"
install_system_packages
build_cli
setup_python
start_service
signed_requests
printf '\n%s%sdemo passed%s: every check as expected (%d s)\n' "$bold" "$green" "$off" "$SECONDS"
