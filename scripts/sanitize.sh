#!/usr/bin/env bash
# Memory-safety checks of the C/C++ library:
#   1. AddressSanitizer + UndefinedBehaviorSanitizer build (-DAJWT_SANITIZE=ON) of the library,
#      the GoogleTest suites and the C program, and ctest there;
#   2. the plain C program (tests/c/c_program.c) of the normal build under valgrind memcheck:
#      no leaks, no invalid reads or writes.
#
#   scripts/sanitize.sh              both
#   scripts/sanitize.sh asan         only 1
#   scripts/sanitize.sh valgrind     only 2
#
# Environment: AJWT_ASAN_BUILD_DIR (default build-asan), AJWT_BUILD_DIR (the normal build,
# default build; configured and the C program built there if needed), AJWT_JOBS.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AJWT_ROOT"
root="$AJWT_ROOT"
what=${1:-all}
asan_dir=${AJWT_ASAN_BUILD_DIR:-$root/build-asan}
build_dir=${AJWT_BUILD_DIR:-$root/build}
jobs=${AJWT_JOBS:-$(nproc)}

if [ "$what" = all ] || [ "$what" = asan ]; then
  step "ASan + UBSan build (${asan_dir})"
  cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAJWT_SANITIZE=ON -DAJWT_BUILD_TESTS=ON \
    -DAJWT_BUILD_CLI=OFF >/dev/null
  cmake --build "$asan_dir" -j "$jobs" --target ajwt_core_tests ajwt_capi_tests ajwt_c_program
  step "ctest under ASan + UBSan"
  # Any sanitizer report fails the test that triggered it (-fno-sanitize-recover=all).
  # install_consumer builds an outside project against the installed library: not a
  # sanitizer test (the consumer is not instrumented).
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan_dir" -j "$jobs" --output-on-failure -E '^install_consumer$'
fi

if [ "$what" = all ] || [ "$what" = valgrind ]; then
  step "C program under valgrind memcheck (${build_dir})"
  require_tools "scripts/install-deps.sh installs it" valgrind
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJWT_BUILD_TESTS=ON >/dev/null
  fi
  cmake --build "$build_dir" -j "$jobs" --target ajwt_c_program
  valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=1 --quiet "$build_dir/tests/ajwt_c_program" >/dev/null
  echo "valgrind: no errors, no leaks"
fi
