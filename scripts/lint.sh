#!/usr/bin/env bash
# The fast lane: linters and format checks, run before the long suites (scripts/test.sh calls it first).
#   Python  ruff check and mypy over python/asymmetric_jwt_auth (config: pyproject.toml), both installed
#           from PyPI into the test virtualenv with the libraries mypy reads (Django, DRF, requests, httpx);
#   Go      gofmt -l and go vet over bindings/go (and its modules ajwtredis, examples/fleet);
#   Rust    cargo fmt --check and cargo clippy -D warnings over bindings/rust (rustfmt and clippy are
#           added with rustup when missing);
#   C++     clang-format --dry-run --Werror against .clang-format over the C++ sources (ajwt.h
#           and the C programs keep the C convention and are not formatted).
# A tool that cannot be had is skipped with a message saying so; a finding fails the script.
#
#   AJWT_PY_VENV   the virtualenv for ruff and mypy (default .venv-test, created if missing)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
cd "$root"
export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"
venv="${AJWT_PY_VENV:-$root/.venv-test}"
skipped=()

skip() { # tool reason
    echo "SKIPPED: $1 ($2)"
    skipped+=("$1")
}

step "Python: ruff check, mypy (python/asymmetric_jwt_auth)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c 'import django, rest_framework, requests, httpx' 2>/dev/null \
        || ! [ -x "$venv/bin/ruff" ] || ! [ -x "$venv/bin/mypy" ]; then
    "$venv/bin/python" -m pip install -q "ruff>=0.6" "mypy>=1.11" "django>=4.2" "djangorestframework>=3.15" \
        "requests>=2.31" "httpx>=0.27" || fail "pip could not install ruff and mypy into $venv"
fi
"$venv/bin/ruff" --version
"$venv/bin/ruff" check
"$venv/bin/mypy" --version
"$venv/bin/mypy"

step "Go: gofmt -l, go vet (bindings/go)"
if command -v go >/dev/null; then
    (
        cd bindings/go
        unformatted="$(gofmt -l .)"
        [ -z "$unformatted" ] || fail "gofmt would change: $unformatted"
        # Vet type-checks the cgo code without linking: the header is enough, no built libajwt.
        header="$( (find "$root/capi" "$root/include" -name ajwt.h 2>/dev/null || true) | head -n1)"
        [ -n "$header" ] || fail "ajwt.h not found under capi/ or include/"
        CGO_ENABLED=1 CGO_CFLAGS="-I$(dirname "$header")" go vet -tags ajwt_static ./...
        # The modules with optional dependencies (go-redis) beside the binding's own.
        for module in ajwtredis examples/fleet; do
            (cd "$module" && CGO_ENABLED=1 CGO_CFLAGS="-I$(dirname "$header")" go vet -tags ajwt_static ./...)
        done
        echo "gofmt, go vet: clean"
    )
else
    skip "gofmt, go vet" "go not found"
fi

step "Rust: cargo fmt --check, cargo clippy -D warnings (bindings/rust)"
if command -v cargo >/dev/null; then
    for component in rustfmt clippy; do
        if command -v rustup >/dev/null && ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
            rustup component add "$component" >/dev/null 2>&1 || true
        fi
    done
    cd bindings/rust
    if cargo fmt --version >/dev/null 2>&1; then
        cargo fmt --all --check
        echo "cargo fmt: clean"
    else
        skip "cargo fmt" "rustfmt could not be installed"
    fi
    if cargo clippy --version >/dev/null 2>&1; then
        # Without a libajwt on PKG_CONFIG_PATH, ajwt-sys builds its bundled copy (cached in target/).
        cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
        # The adapters behind features (not `bundled`, which --all-features would force).
        cargo clippy --locked -p ajwt --all-targets --features tower,reqwest,redis,jwks --quiet -- -D warnings
        echo "cargo clippy: clean"
    else
        skip "cargo clippy" "clippy could not be installed"
    fi
    cd "$root"
else
    skip "cargo fmt, cargo clippy" "cargo not found"
fi

step "C++: clang-format (.clang-format)"
# The C++ sources follow .clang-format exactly. ajwt.h and the C programs keep the C convention
# (`char *p`, aligned status table) and are not formatted.
clang_format="$(command -v clang-format || command -v clang-format-14 || true)"
if [ -n "$clang_format" ]; then
    mapfile -t sources < <(git ls-files -- 'core/*.cpp' 'core/*.hpp' 'capi/*.cpp' 'capi/*.hpp' 'include/*.hpp' \
        'python/src/*.cpp' 'tests/core/*.cpp' 'tests/core/*.hpp' 'tests/capi/*.cpp' 'tests/capi/*.hpp' \
        'tests/fuzz/*.cpp' 'bench/*.cpp' 'bench/*.hpp' 2>/dev/null || true)
    if ! "$clang_format" --dry-run --Werror "${sources[@]}"; then
        fail "clang-format: the files above differ from .clang-format (fix: $clang_format -i FILE...)"
    fi
    echo "clang-format: ${#sources[@]} files clean"
else
    skip "clang-format" "not installed: scripts/install-deps.sh lint"
fi

if [ ${#skipped[@]} -gt 0 ]; then
    step "lint: passed, skipped: ${skipped[*]}"
else
    step "lint: all passed"
fi
