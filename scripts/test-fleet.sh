#!/usr/bin/env bash
# The fleet test (tests/fleet/README.md): one private Redis server and five services — Go, Rust, Node, Java and
# Django — on loopback, sharing that Redis for nonces and one key registry; every service calls every other,
# replays are refused fleet-wide, a JWKS rotation is picked up, a Redis outage fails closed and recovers.
# Prints the caller x callee matrix and `N passed, M failed`; exits non-zero on any failure.
#
# Builds nothing twice: uses the CMake build directory and the virtualenv that scripts/test.sh already made
# (scripts/test-python.sh makes the virtualenv). libajwt is staged once here (as scripts/test-cross-language.sh
# does) and the server scripts inherit the environment below.
#
# Environment:
#   AJWT_BUILD_DIR          CMake build directory (default build/; targets ajwt, ajwt_static, ajwt_cli built if needed)
#   AJWT_PY_VENV            the test virtualenv with asymmetric_jwt_auth installed (default .venv-test)
#   AJWT_FLEET_SERVICES     the services, space-separated NAME or NAME=SCRIPT (default: go rust node java django)
#   AJWT_FLEET_START_TIMEOUT  seconds the services get to answer /health, builds included (default 600: a first release build of the Rust server with axum, reqwest and redis takes minutes on two cores)
# Extra arguments go to tests/fleet/fleet.py (e.g. --rounds 10 --keep).
#
# Each tests/fleet/servers/NAME.sh is started with the contract's arguments and this environment:
#   AJWT_ROOT, AJWT_BUILD_DIR (absolute), AJWT_PY_VENV, and, when a non-Django service runs, the staged
#   libajwt: PKG_CONFIG_PATH, LD_LIBRARY_PATH, CGO_CFLAGS, CGO_LDFLAGS, CGO_ENABLED, AJWT_STAGED_LIBDIR.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AJWT_ROOT"
export AJWT_ROOT
export AJWT_PY_VENV="${AJWT_PY_VENV:-$AJWT_ROOT/.venv-test}"
read -r -a services <<<"${AJWT_FLEET_SERVICES:-go rust node java django}"

"$AJWT_PY_VENV/bin/python" -c 'import asymmetric_jwt_auth._native' 2>/dev/null \
    || fail "$AJWT_PY_VENV has no asymmetric_jwt_auth build; run scripts/test-python.sh first"

step "fleet clients in $AJWT_PY_VENV (requests, redis)"
if ! "$AJWT_PY_VENV/bin/python" -c 'import requests, redis' 2>/dev/null; then
    "$AJWT_PY_VENV/bin/python" -m pip install -q "requests>=2.31" "redis>=5"
fi
command -v redis-server >/dev/null || ensure_packages services

export AJWT_BUILD_DIR
AJWT_BUILD_DIR="$(cmake_build_dir)"
for spec in "${services[@]}"; do
    if [ "${spec#*=}" != django ]; then  # NAME or NAME=SCRIPT: the script is not Django's
        step "staging libajwt from $AJWT_BUILD_DIR for the language servers"
        export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"
        configure_build "$AJWT_BUILD_DIR"
        # What the staging install copies (as scripts/test-bindings-go-rust.sh): already built by scripts/test.sh.
        targets=(ajwt ajwt_static)
        grep -q '^AJWT_BUILD_CLI:BOOL=ON' "$AJWT_BUILD_DIR/CMakeCache.txt" && targets+=(ajwt_cli)
        stage_libajwt "$AJWT_BUILD_DIR" "${targets[@]}"
        export AJWT_STAGED_LIBDIR
        break
    fi
done

step "fleet: ${services[*]}"
service_args=()
for spec in "${services[@]}"; do service_args+=(--service "$spec"); done
# From the tests folder, so that the source tree's python/ is never importable instead of the installed package
cd "$AJWT_ROOT/tests"
PYTHONDONTWRITEBYTECODE=1 exec "$AJWT_PY_VENV/bin/python" "$AJWT_ROOT/tests/fleet/fleet.py" "${service_args[@]}" "$@"
