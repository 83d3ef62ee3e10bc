#!/usr/bin/env bash
# The admin's key flow in headless Chromium (tests/python/test_admin_browser.py): installs Debian's chromium and
# chromium-driver (scripts/install-deps.sh browser) and selenium into the test virtualenv, then runs the test,
# failing rather than skipping when something is missing. Screenshots go to AJWT_ARTIFACTS_DIR
# (default build-python/artifacts).
#
# Needs the virtualenv that scripts/test-python.sh builds (the package installed in it). Extra arguments go to pytest.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
export AJWT_ARTIFACTS_DIR="${AJWT_ARTIFACTS_DIR:-$ROOT/build-python/artifacts}"

if ! "$VENV/bin/python" -c 'import asymmetric_jwt_auth._native' 2>/dev/null; then
    fail "$VENV has no asymmetric_jwt_auth build; run scripts/test-python.sh first"
fi
ensure_packages browser
"$VENV/bin/python" -c 'import selenium' 2>/dev/null || "$VENV/bin/python" -m pip install -q "selenium>=4.15"

cd "$ROOT/tests/python"
export PYTHONDONTWRITEBYTECODE=1 AJWT_REQUIRE_BROWSER=1
"$VENV/bin/python" -m pytest -c "$ROOT/pyproject.toml" --rootdir "$ROOT" "$ROOT/tests/python/test_admin_browser.py" "$@"
echo "screenshots: $AJWT_ARTIFACTS_DIR"
