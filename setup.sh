#!/usr/bin/env bash
# setup.sh — the only set-up zhiping needs on a fresh Debian 12 machine.
#   ./setup.sh run    install what is missing, build, render the samples, issue one letter into archive/, start the
#                     service on 127.0.0.1:8080 (ZHIPING_PORT chooses another port)
#   ./setup.sh test   install what is missing, build, run every test (CTest)
#   ./setup.sh build  install what is missing and build only
#   ./setup.sh bench  also install the benchmarks' tools (WeasyPrint, wrk, valgrind), build, run bench/compare.sh
# Packages come from Debian's registry only; nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
BUILD_DIR=${ZHIPING_BUILD_DIR:-build}
JOBS=${ZHIPING_JOBS:-$(nproc)}
# ccache (CMakeLists.txt uses it when present): paths relative to this checkout, so a second clone or build
# directory reuses the objects compiled by the first.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

PACKAGES=(
  build-essential cmake pkg-config ccache clang
  libpng-dev libjpeg-dev
  libhpdf-dev libxlsxwriter-dev libpoco-dev libpodofo-dev libkainjow-mustache-dev libicu-dev libssl-dev zlib1g-dev
  libqpdf-dev libexpat1-dev rapidjson-dev
  libgtest-dev libpoppler-cpp-dev libcli11-dev chromium
  fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-lxgw-wenkai
  fonts-dejavu-core poppler-utils qpdf libnss3-tools openssl curl python3 python3-openpyxl
  icc-profiles-free
  postgresql libpq-dev
)

# Only for ./setup.sh bench: the baselines and load generator of bench/ (docs/performance.md).
if [ "$mode" = bench ]; then PACKAGES+=(weasyprint wrk time valgrind); fi

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#PACKAGES[@]} Debian packages present"
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The independent OFD reader the seal tests use (tests/seal/ofdjs_test.cpp): npm's ofd.js 0.2.6. Only its tarball
# is fetched (`npm pack`, no dependencies: its lib/ofd.umd.min.js is a self-contained UMD bundle), checked against
# the registry's sha512 recorded here, and unpacked once into a cache shared by every build directory.
OFDJS_VERSION=0.2.6
OFDJS_INTEGRITY=sha512-qBC4bD5fC2e+qWg2ap6pajAU1Rl/G6+l6NUxMVgdcXTtjWcdRSYD6e63WGgmKAEuE4fjmntzIXZwODawjWmQuw==
export ZHIPING_OFDJS_DIR=${ZHIPING_OFDJS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zhiping/ofdjs-$OFDJS_VERSION}
install_ofdjs() {
  if [ -f "$ZHIPING_OFDJS_DIR/package/lib/ofd.umd.min.js" ]; then
    echo "setup: ofd.js $OFDJS_VERSION present in $ZHIPING_OFDJS_DIR"
    return
  fi
  if ! command -v npm > /dev/null; then
    echo "setup: installing npm (Debian) for ofd.js"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm > /dev/null
  fi
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "ofd.js@$OFDJS_VERSION" > /dev/null)
  local got
  got="sha512-$(openssl dgst -sha512 -binary "$tmp/ofd.js-$OFDJS_VERSION.tgz" | base64 -w0)"
  if [ "$got" != "$OFDJS_INTEGRITY" ]; then
    echo "setup: ofd.js-$OFDJS_VERSION.tgz is not the published tarball ($got)" >&2
    rm -rf "$tmp"
    exit 1
  fi
  mkdir -p "$tmp/unpacked" "$(dirname "$ZHIPING_OFDJS_DIR")"
  tar -xzf "$tmp/ofd.js-$OFDJS_VERSION.tgz" -C "$tmp/unpacked" package/lib/ofd.umd.min.js package/LICENSE \
    package/package.json
  chmod -R go-w "$tmp/unpacked"
  mv -T "$tmp/unpacked" "$ZHIPING_OFDJS_DIR" 2> /dev/null || [ -f "$ZHIPING_OFDJS_DIR/package/lib/ofd.umd.min.js" ]
  rm -rf "$tmp"
  echo "setup: ofd.js $OFDJS_VERSION unpacked into $ZHIPING_OFDJS_DIR"
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
  echo "setup: built $BUILD_DIR/zhiping"
}

install_missing
install_ofdjs
build

case "$mode" in
  build) ;;
  bench) bench/compare.sh ;;
  test)
    # Tests write only under the build tree; CTest prints the closing "N tests passed" line CI reads.
    (cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 600)
    ;;
  run)
    mkdir -p out
    for t in notice letter; do
      "$BUILD_DIR/zhiping" render "$t" "samples/$t.json" -o "out/$t.pdf"
      echo "setup: rendered samples/$t.json -> out/$t.pdf"
    done
    # The whole pipeline once: render, sign (a development identity is made on first use, and said so), archive.
    "$BUILD_DIR/zhiping" issue letter samples/letter.json -o out/letter-issued.pdf --message "setup.sh run" > out/issued.json
    echo "setup: issued samples/letter.json into archive/ (out/issued.json), signed copy in out/letter-issued.pdf"
    if [ -z "${ZHIPING_ADMIN_TOKEN:-}" ]; then
      ZHIPING_ADMIN_TOKEN=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
      export ZHIPING_ADMIN_TOKEN
      echo "setup: no ZHIPING_ADMIN_TOKEN set; this run's admin token is $ZHIPING_ADMIN_TOKEN"
    fi
    cat <<HELP
setup: starting the service. Try, from another shell:
  curl -s http://127.0.0.1:${ZHIPING_PORT:-8080}/healthz
  curl -s -H "Authorization: Bearer $ZHIPING_ADMIN_TOKEN" http://127.0.0.1:${ZHIPING_PORT:-8080}/v1/templates
  curl -s -H "Authorization: Bearer $ZHIPING_ADMIN_TOKEN" -H 'Content-Type: application/json' \\
       --data-binary @samples/notice.json -o notice.pdf http://127.0.0.1:${ZHIPING_PORT:-8080}/v1/render/notice
Stop it with Ctrl-C.
HELP
    exec "$BUILD_DIR/zhiping" serve --port "${ZHIPING_PORT:-8080}"
    ;;
  *) echo "usage: ./setup.sh run|test|build|bench" >&2; exit 2 ;;
esac
