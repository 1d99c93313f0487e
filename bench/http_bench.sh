#!/usr/bin/env bash
# bench/http_bench.sh — wrk (Debian package wrk) posting the sample letter to POST /v1/render/letter with 16
# connections for 30 s against a service started here on 127.0.0.1. Targets (issue 16): ≥ 800 req/s, p99 ≤ 40 ms and
# 0 errors at 16 connections; at 64, 0 errors and 429 (with Retry-After) rather than a request queued past a second.
# ZHIPING_BUILD_DIR=DIR serves with another build's zhiping (a baseline: run the two in turns, bench/last-http.txt).
#   bench/http_bench.sh [SECONDS=30] [CONNECTIONS=16]     (ZHIPING_BENCH_CONFIG=FILE: serve with that configuration)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${ZHIPING_BUILD_DIR:-build}
secs=${1:-30}; conns=${2:-16}; port=${ZHIPING_BENCH_PORT:-18089}
work=$(mktemp -d "${TMPDIR:-/tmp}/zhiping-http-bench.XXXXXX")
export ZHIPING_ADMIN_TOKEN=bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$BUILD_DIR/zhiping" serve --port "$port" --archive "$work/archive" ${ZHIPING_BENCH_CONFIG:+--config "$ZHIPING_BENCH_CONFIG"} > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $ZHIPING_ADMIN_TOKEN"
local f = io.open("samples/letter.json", "rb"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.1f  p50 %.1f ms  p99 %.1f ms  non-2xx %d  socket errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
echo "wrk: POST /v1/render/letter, $conns connections, ${secs}s, $(nproc) cores"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/v1/render/letter" | tail -1
