#!/usr/bin/env bash
# scripts/test.sh — installs what the tests need, starts the real services they run against
# (a private PostgreSQL cluster and a throwaway Ceph RGW with Object Lock), runs every test
# project, stops the services, and prints as its last line:  N passed, N failed, N skipped
# Exit status is non-zero when anything failed (including a service that would not start).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh

state=$(mktemp -d "${TMPDIR:-/tmp}/em-test.XXXXXX")
chmod 755 "$state" # the PostgreSQL server runs as the postgres user and must reach its folder
results="$root/tests/artifacts/results"
passed=0 failed=0 skipped=0

cleanup() {
  scripts/lib/ceph-rgw.sh stop "$state/ceph" >/dev/null 2>&1 || echo "warning: Ceph RGW did not stop cleanly" >&2
  scripts/lib/postgres.sh stop "$state/pg" >/dev/null 2>&1 || echo "warning: PostgreSQL did not stop cleanly" >&2
  rm -rf "$state"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# Each failed test of a TRX report with the first lines of its message, XML entities decoded.
failure_recap() {
  awk '
    /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
      match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11); inside = 1; lines = 0; next
    }
    inside && /<\/UnitTestResult>/ { inside = 0; message = 0; next }
    inside && /<Message>/ { message = 1; sub(/.*<Message>/, "") }
    inside && message {
      done = sub(/<\/Message>.*/, "")
      if (lines++ < 20) print "    " $0
      if (done) { message = 0; inside = 0 }
    }
  ' "$1" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
}

# A failure before any test ran still ends with the summary line CI reads.
abort() {
  echo "error: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

step "Test dependencies"
command -v dotnet >/dev/null || abort "the .NET SDK (dotnet) is not on PATH"
ensure_packages postgresql ffmpeg ceph-mon ceph-osd radosgw ceph-common chromium fonts-noto-cjk awscli docker-compose \
  || abort "could not install the test dependencies with apt-get"
# Face suggestions: OpenCV's cascades, the libraries OpenCvSharp's native runtime loads (it is built with
# GTK), and the photograph the face footage is made from (python3-skimage's astronaut.png).
ensure_packages opencv-data libgtk-3-0 libdrm2 libatomic1 python3-skimage \
  || abort "could not install the face-suggestion dependencies with apt-get"
# The tus interoperability test drives the real tus-js-client (pinned in tests/interop) under Node.
if ! command -v npm >/dev/null; then
  ensure_packages nodejs npm || abort "could not install Node.js and npm with apt-get"
fi
(cd tests/interop && npm ci --no-audit --no-fund --loglevel=error) || abort "npm ci in tests/interop failed"

step "PostgreSQL"
scripts/lib/postgres.sh start "$state/pg" --throwaway || abort "PostgreSQL did not start"
step "Ceph RGW (S3 with Object Lock)"
scripts/lib/ceph-rgw.sh start "$state/ceph" || abort "Ceph RGW did not start"
# shellcheck disable=SC1091
source "$state/pg/env"
# shellcheck disable=SC1091
source "$state/ceph/env"
export EM_PG_CONNECTION EM_PG_ADMIN_CONNECTION EM_S3_ENDPOINT EM_S3_ACCESS_KEY EM_S3_SECRET_KEY EM_S3_REGION

step "Build"
dotnet build Enforcement.Media.sln -c Release -nologo -v quiet -clp:ErrorsOnly || abort "the build failed"
dotnet format Enforcement.Media.sln --verify-no-changes --no-restore -v quiet || abort "the code is not formatted as .editorconfig says: run 'dotnet format'"

step "Tests"
rm -rf "$results"
mkdir -p "$results"
dotnet test Enforcement.Media.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results"
test_status=$?

# Sum the counters of every test assembly's TRX report.
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$(( passed + $(count passed) ))
  failed=$(( failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  skipped=$(( skipped + $(count notExecuted) ))
done
if (( test_status != 0 && failed == 0 )); then
  echo "error: dotnet test exited with $test_status but reported no failed test (a crashed test host?)" >&2
  failed=1
fi

# CI shows only the end of this output: name every failed test and its message there.
if (( failed > 0 )); then
  step "Failed tests"
  for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] && failure_recap "$trx"
  done
fi

cleanup
trap - EXIT
echo "$passed passed, $failed failed, $skipped skipped"
(( failed == 0 && test_status == 0 ))
