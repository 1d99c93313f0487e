#!/usr/bin/env bash
# .ci/sanitizers.sh — CI's second build: everything under AddressSanitizer and UndefinedBehaviorSanitizer with
# clang (build-asan/), each libFuzzer target for a bounded time on its seed corpus, then every test again.
# FUZZ_SECONDS (default 60) bounds each fuzz target; bench/fuzz.sh runs them longer.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
BUILD_DIR=${ZHIPING_ASAN_BUILD_DIR:-build-asan}
JOBS=${ZHIPING_JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DZHIPING_SANITIZE=address,undefined -DZHIPING_FUZZ=ON > /dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
echo "sanitizers: built $BUILD_DIR with -fsanitize=address,undefined"

# Leaks are reported by the fuzzers (a leak per input grows without bound); the suites' one-off process-lifetime
# caches (fonts kept per thread by libharu) are not leaks worth failing on.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fuzz_seconds=${FUZZ_SECONDS:-60}
for fuzzer in "$BUILD_DIR"/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  corpus=$(mktemp -d)
  cp -r "tests/fuzz/corpus/${name#fuzz_}/." "$corpus/"
  echo "sanitizers: $name for ${fuzz_seconds}s"
  ASAN_OPTIONS=detect_leaks=1 "$fuzzer" -max_total_time="$fuzz_seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus" 2> "$BUILD_DIR/$name.log" || { tail -60 "$BUILD_DIR/$name.log"; exit 1; }
  grep -E "^(stat::number_of_executed_units|Done)" "$BUILD_DIR/$name.log" || true
  rm -rf "$corpus"
done

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
(cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 1200)
