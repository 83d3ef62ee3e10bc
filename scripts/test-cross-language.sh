#!/usr/bin/env bash
# The cross-language check: tokens signed by each implementation verify in every other one, and
# tampered, expired and wrong-key tokens fail in every one. Implementations: the Go and Rust
# example clients (built here against a staged libajwt), Python (our asymmetric_jwt_auth in
# .venv-test, and upstream asymmetric-jwt-auth 1.x in .venv-upstream, when those exist; driver
# tests/cross/python_driver.py), and any named in AJWT_CROSS_DRIVERS, e.g.
#   AJWT_CROSS_DRIVERS="node=node $PWD/bindings/node/example/client.js;java=$PWD/bindings/swig/java/run-example.sh client"
# Each driver takes the example clients' arguments ("token --key F [--password P] --user U --time T",
# "verify --public F --token T --now N"; prints the token / the username, exits non-zero on refusal).
# Keys: an Ed25519 key made by the Go client, an RSA key made by the Rust client and the compat
# vectors' encrypted RSA key (tests/cross/compat_key.py).
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/)
#   AJWT_SKIP_MISSING_TOOLCHAINS=1   skip (exit 0) instead of failing when go or cargo is missing
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
build="$(cmake_build_dir)"
require_go_rust "the cross-language check"

step "libajwt from $build; the Go and Rust example clients"
stage_libajwt "$build" ajwt
export AJWT_VECTORS_DIR="$root/tests/vectors"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root/bindings/go" && go build -o "$work/go/" ./examples/client)
(cd "$root/bindings/rust" && AJWT_SYS_USE_PKG_CONFIG=1 cargo build --locked --quiet --examples)
rust="$root/bindings/rust/target/debug/examples"

step "cross-language check"
cd "$work"
"$work/go/client" keygen --type ed25519 --out alice >/dev/null
"$rust/client" keygen --type rsa --out bob >/dev/null
python3 "$root/tests/cross/compat_key.py" "$AJWT_VECTORS_DIR/compat/asymmetric-jwt-auth-1.x.json"

langs=(go rust)
declare -A driver=([go]="$work/go/client" [rust]="$rust/client")
for venv in test upstream; do
    py="$root/.venv-$venv/bin/python"
    if [ -x "$py" ] && "$py" -c 'import asymmetric_jwt_auth, django' 2>/dev/null; then
        langs+=("python-$venv")
        driver["python-$venv"]="$py $root/tests/cross/python_driver.py"
    else
        echo "(no $root/.venv-$venv with asymmetric_jwt_auth: Python-$venv left out)"
    fi
done

# More implementations from AJWT_CROSS_DRIVERS (see the top).
IFS=';' read -ra extra_drivers <<< "${AJWT_CROSS_DRIVERS:-}"
for entry in "${extra_drivers[@]}"; do
    [ -n "$entry" ] || continue
    langs+=("${entry%%=*}")
    driver["${entry%%=*}"]="${entry#*=}"
done

t0=1700000000
password="$(cat compat-rsa.password)"
checks=0
verify_as() { # want(ok|fail) verifier public token now username
    local want="$1" verifier="$2" public="$3" token="$4" now="$5" user="$6" got
    if [[ "$verifier" == python-* ]]; then # checked in one batch below: an interpreter per check is slow
        printf '%s %s %s\n' "$public" "$now" "$token" >> "$work/batch.$verifier"
        printf '%s %s\n' "$want" "${user:--}" >> "$work/expected.$verifier"
        return
    fi
    if got="$(${driver[$verifier]} verify --public "$public" --token "$token" --now "$now" 2>"$work/verify.err")"; then
        [ "$want" = ok ] && [ "$got" = "$user" ] || fail "$verifier accepted a token it must refuse ($public, now $now): $got"
    else
        [ "$want" = fail ] || fail "$verifier refused a good token ($public): $(cat "$work/verify.err")"
    fi
    checks=$((checks + 1))
}
for signer in "${langs[@]}"; do
    for keyname in alice compat-rsa; do
        pw=()
        [ "$keyname" = compat-rsa ] && pw=(--password "$password")
        token="$(${driver[$signer]} token --key "$keyname.pem" "${pw[@]}" --user "$signer-$keyname" --time "$t0")"
        sig="${token##*.}"
        first="${sig:0:1}"
        [ "$first" = A ] && swap=B || swap=A
        tampered="${token%.*}.$swap${sig:1}"
        for verifier in "${langs[@]}"; do
            verify_as ok "$verifier" "$keyname.pub" "$token" $((t0 + 19)) "$signer-$keyname"
            if [ "$keyname" = alice ]; then
                verify_as fail "$verifier" "$keyname.pub" "$tampered" "$t0" ""
                verify_as fail "$verifier" "$keyname.pub" "$token" $((t0 + 21)) ""
                verify_as fail "$verifier" bob.pub "$token" "$t0" ""
            fi
        done
    done
done
for verifier in "${langs[@]}"; do
    [[ "$verifier" == python-* ]] || continue
    ${driver[$verifier]} verify-batch < "$work/batch.$verifier" > "$work/got.$verifier"
    while read -r want user <&3 && read -r got <&4; do
        if [ "$want" = ok ]; then
            [ "$got" = "$user" ] || fail "$verifier refused a good token of $user (got $got)"
        else
            [ "$got" = - ] || fail "$verifier accepted a token it must refuse (as $got)"
        fi
        checks=$((checks + 1))
    done 3<"$work/expected.$verifier" 4<"$work/got.$verifier"
    [ "$(wc -l < "$work/got.$verifier")" = "$(wc -l < "$work/expected.$verifier")" ] || fail "$verifier: batch incomplete"
done
echo "cross-language: ${#langs[@]} implementations (${langs[*]}), $checks signer x verifier checks passed"
