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
  -DZHIPING_FUZZ=ON > /dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
echo "sanitizers: built $BUILD_DIR (ZHIPING_FUZZ=ON: every library and test with -fsanitize=address,undefined)"

# Leaks are reported by the fuzzers (a leak per input grows without bound); the suites' one-off process-lifetime
# caches (fonts kept per thread by libharu) are not leaks worth failing on.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fuzz_seconds=${FUZZ_SECONDS:-60}
while read -r name corpus; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ "$corpus" == build:* ]] && corpus="$BUILD_DIR/${corpus#build:}"
  bin=$(find "$PWD/$BUILD_DIR" -name "$name" -type f -perm -u+x | head -1)
  [ -n "$bin" ] || { echo "sanitizers: fuzz target $name was not built"; exit 1; }
  work=$(mktemp -d)  # new inputs go here, not into the committed seeds
  echo "sanitizers: $name for ${fuzz_seconds}s on $corpus"
  if ! (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$fuzz_seconds" -timeout=20 \
          -rss_limit_mb=2048 -print_final_stats=1 "$work" "$OLDPWD/$corpus" > "$work/log" 2>&1); then
    tail -60 "$work/log"
    echo "sanitizers: $name found a crash (input kept in $work)"
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$work/log" || true
  rm -rf "$work"
done < .ci/fuzz_targets.txt

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
(cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 1200)
