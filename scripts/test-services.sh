#!/usr/bin/env bash
# The Python suites against real services: starts a private PostgreSQL and Redis (scripts/services.sh),
# runs the whole Django suite on PostgreSQL — with the Redis, multi-process replay, JWKS-over-HTTP and async
# tests, which must all run here, none skipped for want of a service — and the custom user model suite on
# PostgreSQL, then stops the servers, whatever happened (trap).
#
# Needs the virtualenv that scripts/test-python.sh builds (the package installed in it); adds the service
# clients (psycopg, redis) and pytest-timeout to it. Extra arguments go to the first pytest run.
#
# Environment:
#   AJWT_PY_VENV           our virtualenv (default .venv-test)
#   AJWT_UPSTREAM_VENV     upstream 1.x virtualenv for the interoperability tests (default .venv-upstream)
#   AJWT_SERVICES_DIR      where the servers keep their data (default under /tmp; see scripts/services.sh)
#   AJWT_TEST_TIMEOUT      seconds any one test may take before pytest-timeout fails it (default 300)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
cd "$ROOT"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
UPSTREAM_VENV="${AJWT_UPSTREAM_VENV:-$ROOT/.venv-upstream}"
TIMEOUT="${AJWT_TEST_TIMEOUT:-300}"

if ! "$VENV/bin/python" -c 'import asymmetric_jwt_auth._native' 2>/dev/null; then
    fail "$VENV has no asymmetric_jwt_auth build; run scripts/test-python.sh first"
fi

step "service clients in $VENV"
if ! "$VENV/bin/python" -c 'import psycopg, redis, pytest_timeout' 2>/dev/null; then
    "$VENV/bin/python" -m pip install -q "psycopg[binary]>=3.1" "redis>=5" "pytest-timeout>=2.3"
fi

started=0
cleanup() {
    local status=$?
    if [ "$started" = 1 ]; then
        step "stopping the services"
        "$ROOT/scripts/services.sh" stop || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "starting PostgreSQL and Redis"
if "$ROOT/scripts/services.sh" status 2>/dev/null; then
    echo "services were already running: using them, and leaving them running"
else
    started=1
fi
service_env=$("$ROOT/scripts/services.sh" start)
eval "$service_env"

# Service tests fail rather than skip when something they need is missing
export AJWT_REQUIRE_SERVICES=1
if [ -x "$UPSTREAM_VENV/bin/python" ]; then
    export AJWT_UPSTREAM_PYTHON="$UPSTREAM_VENV/bin/python"
    export AJWT_REQUIRE_UPSTREAM=1
fi
export PYTHONDONTWRITEBYTECODE=1
# From the tests folder, so that the source tree's python/ is never importable instead of the installed package
cd "$ROOT/tests/python"
pytest_args=(-c "$ROOT/pyproject.toml" --rootdir "$ROOT" --timeout "$TIMEOUT")

step "pytest: tests/python on PostgreSQL, with the Redis, multi-process and loopback HTTP tests"
"$VENV/bin/python" -m pytest "${pytest_args[@]}" "$ROOT/tests/python" --ds testproject.settings_postgres "$@"

step "pytest: tests/python/custom_user on PostgreSQL"
"$VENV/bin/python" -m pytest "${pytest_args[@]}" "$ROOT/tests/python/custom_user" --ds testproject.settings_postgres_custom_user
