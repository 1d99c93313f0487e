#!/usr/bin/env bash
# Runs the benchmarks against a build made by ./setup.sh build. Figures go to stdout and bench/last-run.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ZHIPING_BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target render_bench -j "$(nproc)" >/dev/null
{ "$BUILD_DIR/bench/render_bench" . "${1:-30}"; } | tee bench/last-run.txt
