#!/usr/bin/env bash
# setup.sh — the only set-up zhiping needs on a fresh Debian 12 machine.
#   ./setup.sh run    install what is missing, build, render the samples, issue one letter into archive/, start the
#                     service on 127.0.0.1:8080 (ZHIPING_PORT chooses another port)
#   ./setup.sh test   install what is missing, build, run every test (CTest)
#   ./setup.sh build  install what is missing and build only
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
  libqpdf-dev libexpat1-dev
  libgtest-dev libpoppler-cpp-dev libcli11-dev chromium
  fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-lxgw-wenkai
  fonts-dejavu-core poppler-utils qpdf libnss3-tools openssl curl python3 python3-openpyxl
  icc-profiles-free
)

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

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
  echo "setup: built $BUILD_DIR/zhiping"
}

install_missing
build

case "$mode" in
  build) ;;
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
  *) echo "usage: ./setup.sh run|test|build" >&2; exit 2 ;;
esac
