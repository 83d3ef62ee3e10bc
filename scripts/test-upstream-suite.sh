#!/usr/bin/env bash
# Runs asymmetric-jwt-auth 1.3.0's own test suite (the asymmetric_jwt_auth/tests package its wheel ships, ISC
# licensed) against this package and against upstream itself, prints both pass counts, and fails when a test
# that passes on upstream fails here without a reasoned row in docs/django.md's list of known differences.
#
# The wheel is downloaded from the package registry at test time (pip download) and never committed. Needs the
# two virtualenvs that scripts/test-python.sh builds (it calls this script at the end of a full run).
#
# Environment:
#   AJWT_PY_VENV        our virtualenv (default .venv-test)
#   AJWT_UPSTREAM_VENV  upstream's virtualenv (default .venv-upstream)
#   AJWT_UPSTREAM_SPEC  the wheel to take the suite from (default asymmetric-jwt-auth==1.3.0)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
UPSTREAM_VENV="${AJWT_UPSTREAM_VENV:-$ROOT/.venv-upstream}"
UPSTREAM_SPEC="${AJWT_UPSTREAM_SPEC:-asymmetric-jwt-auth==1.3.0}"
HERE="$ROOT/tests/upstream_suite"

for python in "$VENV/bin/python" "$UPSTREAM_VENV/bin/python"; do
    if [ ! -x "$python" ]; then
        fail "$python is missing; run scripts/test-python.sh first"
    fi
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step "downloading $UPSTREAM_SPEC (its test suite)"
"$VENV/bin/python" -m pip download -q --no-deps --only-binary=:all: -d "$WORK/wheel" "$UPSTREAM_SPEC"
"$VENV/bin/python" - "$WORK/wheel" "$WORK/suite" <<'PY'
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("*.whl"))
with zipfile.ZipFile(wheel) as archive:
    members = [name for name in archive.namelist() if name.startswith("asymmetric_jwt_auth/tests/")]
    if not any(name.endswith("/test_jwks.py") for name in members):
        sys.exit(f"{wheel.name} holds no asymmetric_jwt_auth/tests suite")
    archive.extractall(sys.argv[2], members)
print(f"   {wheel.name}: {sum(name.endswith('.py') and '/test_' in name for name in members)} test modules")
PY

# The suite's own test dependency (upstream's dev group), in both virtualenvs
for python in "$VENV/bin/python" "$UPSTREAM_VENV/bin/python"; do
    "$python" -c 'import freezegun' 2>/dev/null || "$python" -m pip install -q "freezegun>=1.4"
done

cd "$HERE"
export PYTHONDONTWRITEBYTECODE=1
step "upstream suite on upstream ($UPSTREAM_VENV)"
"$UPSTREAM_VENV/bin/python" run.py "$WORK/suite" "$WORK/upstream.json" > "$WORK/upstream.log" 2>&1 || { tail -30 "$WORK/upstream.log"; exit 1; }
tail -3 "$WORK/upstream.log"
step "upstream suite on this package ($VENV)"
"$VENV/bin/python" run.py "$WORK/suite" "$WORK/ours.json" > "$WORK/ours.log" 2>&1 || { tail -30 "$WORK/ours.log"; exit 1; }
if [ -n "${AJWT_UPSTREAM_SUITE_LOG:-}" ]; then cp "$WORK/ours.log" "$AJWT_UPSTREAM_SUITE_LOG"; fi
tail -3 "$WORK/ours.log"
"$VENV/bin/python" compare.py "$WORK/upstream.json" "$WORK/ours.json" "$ROOT/docs/django.md"
