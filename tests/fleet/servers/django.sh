#!/usr/bin/env bash
# The Django fleet service (tests/fleet/django/serve.py) with the test virtualenv's Python, where
# scripts/test-python.sh installed asymmetric_jwt_auth (AJWT_PY_VENV, default .venv-test). Builds nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
venv="${AJWT_PY_VENV:-$root/.venv-test}"
exec "$venv/bin/python" "$root/tests/fleet/django/serve.py" "$@"
