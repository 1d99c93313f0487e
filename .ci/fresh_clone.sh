#!/usr/bin/env bash
# .ci/fresh_clone.sh — what a new user does, checked: clone the repository into an empty folder, run the README's
# `./setup.sh run` there (install, build, render the samples, start the service on a free port), use the running
# service over HTTP, run every command line the README shows against the default archive/, stop the service.
# Fails (exit 1) on the first step that does not do what the README says.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "fresh-clone: FAILED: $*" >&2
  if [ -f "$work/zhiping/run.log" ]; then echo "--- ./setup.sh run output (last 40 lines):" >&2; tail -40 "$work/zhiping/run.log" >&2; fi
  exit 1
}
step() { echo "fresh-clone: $*"; }

git clone -q "$src" "$work/zhiping"
cd "$work/zhiping"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token="ci-$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')"
url="http://127.0.0.1:$port"

step "./setup.sh run on port $port in $work/zhiping"
ZHIPING_PORT=$port ZHIPING_ADMIN_TOKEN=$token ./setup.sh run > run.log 2>&1 < /dev/null &
pid=$!
# The build may take minutes on a machine whose compiler cache is cold.
for _ in $(seq 1 1800); do
  if curl -fsS "$url/healthz" > /dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || fail "./setup.sh run exited before the service answered /healthz"
  sleep 1
done
curl -fsS "$url/healthz" > /dev/null || fail "no /healthz answer after 30 minutes"
step "service answers /healthz"
for f in out/notice.pdf out/letter.pdf; do
  pdfinfo "$f" > /dev/null 2>&1 || fail "./setup.sh run did not leave a readable $f"
done
step "samples rendered to out/notice.pdf and out/letter.pdf"

auth=(-H "Authorization: Bearer $token")
# A draft over HTTP, as the README shows.
curl -fsS "${auth[@]}" -H 'Content-Type: application/json' --data-binary @samples/notice.json -o notice.pdf \
  "$url/v1/render/notice" || fail "POST /v1/render/notice"
# (Whole outputs into variables: `cmd | grep -q` fails under pipefail when grep stops reading early.)
text=$(pdftotext notice.pdf - 2>&1) || fail "pdftotext cannot read the notice: $text"
[[ $text == *公示* ]] || fail "the rendered notice does not read back as a 公示"

# Issue a letter over HTTP, read it back from the archive, check its bytes and signature.
status=$(curl -sS "${auth[@]}" -H 'Content-Type: application/json' --data-binary @samples/letter.json \
  -o issued.json -w '%{http_code}' "$url/v1/documents/letter")
[ "$status" = 201 ] || [ "$status" = 200 ] || fail "POST /v1/documents/letter answered $status: $(cat issued.json)"
applicant=$(python3 -c 'import json,sys; print(json.load(open("samples/letter.json"))["applicant"]["id"])')
digest=$(python3 -c 'import json; print([f["digest"] for f in json.load(open("issued.json"))["files"] if f["path"]=="letter.pdf"][0])')
curl -fsS "${auth[@]}" -o archived.pdf "$url/v1/applicants/$applicant/documents/letter.pdf" \
  || fail "GET /v1/applicants/$applicant/documents/letter.pdf"
[ "$(sha512sum archived.pdf | cut -d' ' -f1)" = "$digest" ] || fail "the archived letter's bytes do not match the digest the issue reported"
sig=$(pdfsig archived.pdf 2>&1) || true
[[ $sig == *"Signature is Valid"* ]] || fail "pdfsig does not call the archived letter's signature valid: $sig"
versions=$(curl -fsS "${auth[@]}" "$url/v1/applicants/$applicant/versions") || fail "GET …/versions"
[[ $versions == *'"version"'* ]] || fail "GET …/versions answered $versions"
step "letter issued over HTTP ($status), read back from archive/, signature valid"

# Every command line of the README's "Using it" block, as written, against the default archive/ (serve and
# preview run until stopped: they are started with --port 0 and stopped once they print their address).
mapfile -t lines < <(awk '/^## Using it/{on=1} on && /^```sh/{inblock=1; next} inblock && /^```/{exit} inblock' README.md \
  | sed 's/[[:space:]]*#.*$//' | grep '^build/zhiping')
[ "${#lines[@]}" -ge 10 ] || fail "found only ${#lines[@]} command lines in the README's Using it block"
for line in "${lines[@]}"; do
  case "$line" in
    *" serve"*|*" preview"*)
      cmd="${line/--port 8080/} --port 0"
      timeout 20 bash -c "$cmd" > long.out 2>&1 &
      lpid=$!
      for _ in $(seq 1 100); do grep -q "http://127.0.0.1:" long.out && break; sleep 0.2; done
      grep -q "http://127.0.0.1:" long.out || { cat long.out >&2; fail "README line did not start: $line"; }
      kill -TERM "$lpid" 2>/dev/null || true
      wait "$lpid" 2>/dev/null || true
      ;;
    *)
      bash -c "$line" > line.out 2> line.err < /dev/null || { cat line.out line.err >&2; fail "README line failed: $line"; }
      ;;
  esac
  step "ok: $line"
done

# The archive the service and the command lines shared is valid, and the service stops cleanly.
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" = 0 ] || fail "the service exited $code on SIGTERM"
build/zhiping archive verify > verify.out 2>&1 || { cat verify.out >&2; fail "archive verify after the run"; }
step "service stopped on SIGTERM; archive/ verifies"
echo "fresh-clone: all steps passed"
