#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan + coverage) and runs each one.
#
#   scripts/fuzz.sh                  smoke run: 20 s per target, one after the other (CI)
#   scripts/fuzz.sh 3600             one hour per target
#   scripts/fuzz.sh -p 3600          all targets at once, in the background, one hour each
#   scripts/fuzz.sh 60 fuzz_jwks     only the named targets
#
# Environment:
#   AJWT_FUZZ_BUILD_DIR   build directory        (default: build-fuzz)
#   AJWT_FUZZ_CORPUS_DIR  growing corpora, logs, crash artifacts, one subdirectory per target
#                         (default: <build dir>/corpus; keep it outside the repository)
#   AJWT_FUZZ_JOBS        parallel compile jobs  (default: 2)
#
# Every target first replays tests/fuzz/regressions/<target>/ (past crashes), then fuzzes from
# its corpus plus fresh seeds generated from tests/vectors. Exit status: non-zero when any
# target found a crash, a leak, a timeout or a broken invariant; the input is kept as
# <corpus dir>/<target>/artifacts/crash-* (minimise it with -minimize_crash=1 and commit it to
# tests/fuzz/regressions/<target>/).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AJWT_ROOT"
root="$AJWT_ROOT"

parallel=0
if [ "${1:-}" = "-p" ]; then parallel=1; shift; fi
seconds=${1:-20}
shift || true
all_targets=(fuzz_token_parse fuzz_verify fuzz_public_key fuzz_private_key fuzz_jwks fuzz_authenticator fuzz_request_binding)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

build_dir=${AJWT_FUZZ_BUILD_DIR:-$root/build-fuzz}
corpus_root=${AJWT_FUZZ_CORPUS_DIR:-$build_dir/corpus}
jobs=${AJWT_FUZZ_JOBS:-2}

ensure_packages fuzz
step "configure and build the fuzz targets (${build_dir})"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DAJWT_BUILD_FUZZERS=ON -DAJWT_BUILD_TESTS=OFF -DAJWT_BUILD_CLI=OFF >/dev/null
cmake --build "$build_dir" --target ajwt_fuzzers -j "$jobs"

seeds="$build_dir/fuzz-seeds"
rm -rf "$seeds"
"$build_dir/tests/fuzz/ajwt_fuzz_seeds" "$seeds"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Inputs larger than any cap, so the size checks themselves are exercised.
max_len() {
  case "$1" in
    fuzz_token_parse|fuzz_verify|fuzz_authenticator) echo 12000 ;;
    fuzz_jwks) echo 20000 ;;
    *) echo 8192 ;;
  esac
}

run_target() {
  local target=$1 dir="$corpus_root/$1"
  local bin="$build_dir/tests/fuzz/$target"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local regressions="$root/tests/fuzz/regressions/$target"
  if compgen -G "$regressions/*" >/dev/null; then
    "$bin" -runs=0 "$regressions"/* >"$dir/regressions.log" 2>&1 || {
      echo "$target: a regression input fails again (see $dir/regressions.log)"; return 1; }
  fi
  "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len="$(max_len "$target")" \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" "$seeds/$target" >"$dir/fuzz.log" 2>&1
}

summary() {
  local target=$1 log="$corpus_root/$1/fuzz.log"
  local last execs
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -E 's/[[:space:]]+/ /g')
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  printf '%-20s %s | executions: %s\n' "$target" "${last:-no output}" "${execs:-?}"
}

echo "==== fuzzing ${#targets[@]} target(s) for ${seconds} s each (logs: $corpus_root/<target>/fuzz.log)"
failed=()
if [ "$parallel" = 1 ]; then
  declare -A pids
  for t in "${targets[@]}"; do run_target "$t" & pids[$t]=$!; done
  for t in "${targets[@]}"; do wait "${pids[$t]}" || failed+=("$t"); done
else
  for t in "${targets[@]}"; do run_target "$t" || failed+=("$t"); done
fi

for t in "${targets[@]}"; do summary "$t"; done
if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do
    echo "---- $t FAILED:"; grep -E 'ERROR|invariant|runtime error|SUMMARY|Test unit written' "$corpus_root/$t/fuzz.log" | head -n 20 || true
  done
  exit 1
fi
echo "==== no crash in any target"
