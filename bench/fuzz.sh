#!/usr/bin/env bash
# bench/fuzz.sh — run every libFuzzer target (.ci/fuzz_targets.txt) for longer than CI does.
#   bench/fuzz.sh            600 s each (FUZZ_SECONDS=N to change), in build-asan/ (clang, ASan + UBSan)
# New inputs go to build-asan/fuzz-corpus/NAME (not into the committed seeds); a crash leaves crash-* files
# beside it and stops the script with the target's report.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ZHIPING_ASAN_BUILD_DIR:-build-asan}
seconds=${FUZZ_SECONDS:-600}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DZHIPING_FUZZ=ON > /dev/null
while read -r name corpus; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ "$corpus" == build:* ]] && corpus="$BUILD_DIR/${corpus#build:}"
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "$name" > /dev/null
  work="$BUILD_DIR/fuzz-corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s (corpus $work, seeds $corpus)"
  bin=$(find "$PWD/$BUILD_DIR" -name "$name" -type f -perm -u+x | head -1)
  (cd "$BUILD_DIR/fuzz-corpus" && "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 "$name" "$OLDPWD/$corpus")
done < .ci/fuzz_targets.txt
