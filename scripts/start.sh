#!/usr/bin/env bash
# scripts/start.sh — runs Enforcement.Media on embedded defaults on this machine:
# a private PostgreSQL under .data/postgres, the filesystem evidence store under .data/evidence,
# the ingest worker and the player on loopback. Prints where to look; Ctrl-C stops everything.
# Migrations run as the owner role; the apps connect as the application role, which may only
# INSERT and SELECT audit rows. Audit checkpoints are signed with .data/audit-signing-key.pem,
# generated on first start.
#   EM_PLAYER_PORT (default 5000) and EM_INGEST_PORT (default 5080) choose the ports.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh

data="$root/.data"
mkdir -p "$data"
chmod 755 "$data" # the PostgreSQL server runs as the postgres user and must reach its folder
pids=()

# shellcheck disable=SC2317 # invoked by the trap
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping …"
  local pid
  for pid in "${pids[@]}"; do stop_process "$pid" 30 || true; done
  scripts/lib/postgres.sh stop "$data/postgres" || true
  echo "Stopped. Data stays in $data (delete it to start afresh)."
}
trap stop_all INT TERM EXIT

port_or_free() {
  local wanted=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$wanted") 2>/dev/null; then free_port; else echo "$wanted"; fi
}

wait_healthy() {
  local name=$1 url=$2 pid=$3 i
  for (( i = 0; i < 120; i++ )); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! process_alive "$pid"; then echo "error: $name exited during start-up (log: $data/log/$name.log)" >&2; tail -n 20 "$data/log/$name.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "error: $name did not become healthy at $url (log: $data/log/$name.log)" >&2
  return 1
}

echo "== Dependencies"
command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
# fonts-noto-cjk: the font publication watermarks are drawn in (Media:WatermarkFont).
ensure_packages postgresql ffmpeg fonts-noto-cjk curl
# Face suggestions: OpenCV's cascades and the libraries OpenCvSharp's native runtime loads.
ensure_packages opencv-data libgtk-3-0 libdrm2 libatomic1

echo "== Catalogue (PostgreSQL)"
scripts/lib/postgres.sh start "$data/postgres"
# shellcheck disable=SC1091
source "$data/postgres/env"

echo "== Build"
# ReadyToRun for the ingest program: each of its commands starts in ~0.9 s instead of ~1.4 s (README, Benchmarks).
rid=$(dotnet --info | awk '/RID:/ && !found { print $2; found = 1 }')
dotnet publish ingest/Enforcement.Media.Ingest.csproj -c Release -o "$data/app/ingest" -r "$rid" --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -clp:ErrorsOnly
dotnet publish player/Enforcement.Media.Player.csproj -c Release -o "$data/app/player" -nologo -v quiet -clp:ErrorsOnly

export ConnectionStrings__Catalogue="$EM_PG_CONNECTION"
export Catalogue__MigrateOnStart=false # migrated below, as the owner; the apps never hold the owner's credentials
export Store__Kind=FileSystem
export Store__FileSystem__Root="$data/evidence"
mkdir -p "$data/log"

ingest_port=$(port_or_free "${EM_INGEST_PORT:-5080}")
player_port=$(port_or_free "${EM_PLAYER_PORT:-5000}")

echo "== Audit signing key"
signing_key="$data/audit-signing-key.pem"
if [[ ! -f "$signing_key" ]]; then
  dotnet "$data/app/ingest/Enforcement.Media.Ingest.dll" audit keygen --out "$signing_key"
fi
echo "Checkpoints are signed with $signing_key; publish its public half: ingest audit public-key"
# The agency key that signs export packages (a P-256 key like the audit key, kept apart from it).
export_key="$data/export-signing-key.pem"
if [[ ! -f "$export_key" ]]; then
  dotnet "$data/app/ingest/Enforcement.Media.Ingest.dll" audit keygen --out "$export_key"
fi

echo "== Ingest"
ConnectionStrings__CatalogueOwner="$EM_PG_OWNER_CONNECTION" \
  dotnet "$data/app/ingest/Enforcement.Media.Ingest.dll" migrate >"$data/log/migrate.log" 2>&1 \
  || { cat "$data/log/migrate.log" >&2; exit 1; }
Audit__SigningKeyPath="$signing_key" Docks__Roots__0="$data/docks" Docks__StableFor=00:00:02 \
  dotnet "$data/app/ingest/Enforcement.Media.Ingest.dll" run --urls "http://127.0.0.1:$ingest_port" >"$data/log/ingest.log" 2>&1 &
pids+=($!)
wait_healthy ingest "http://127.0.0.1:$ingest_port/health" "${pids[-1]}"

echo "== Demo: a case, and footage from two recorders docked at a station"
ingest() { dotnet "$data/app/ingest/Enforcement.Media.Ingest.dll" "$@"; }
demo_case="浙杭综执罚〔2026〕1号"
if [[ ! -e "$data/demo-ready" ]]; then
  ingest cases import scripts/demo/demo-case.csv --actor system:demo >"$data/log/demo.log" 2>&1 \
    || { cat "$data/log/demo.log" >&2; exit 1; }
  scripts/demo/make-footage.sh "$data/docks"
  touch "$data/demo-ready"
fi
# Wait until the footage is stored, probed and linked to the case's activities (three recordings).
for (( i = 0; i < 60; i++ )); do
  linked=$(ingest cases report "$demo_case" --json 2>/dev/null | grep -o '"recordingId"' | wc -l || true)
  (( linked >= 3 )) && break
  sleep 2
done
ingest recordings list --limit 10 || true
ingest cases report "$demo_case" || true # exit 1: the seizure has a gap, which is the point

echo "== Player"
# The first admin is created from this on the first start only (while no user exists).
admin_password_file="$data/demo-admin-password"
if [[ ! -f "$admin_password_file" ]]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$admin_password_file")
fi
# Demo accounts in the demo case's unit, so a newcomer can sign in and watch at once: created on the
# first start only (never changed afterwards), their passwords generated like the admin's.
for who in reviewer supervisor; do
  if [[ ! -f "$data/demo-$who-password" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$data/demo-$who-password")
  fi
done
demo_unit=330100000000
Accounts__BootstrapAdminPassword="$(cat "$admin_password_file")" Export__SigningKeyPath="$export_key" \
Accounts__SeedUsers__0__Username=demo-reviewer Accounts__SeedUsers__0__DisplayName=演示阅卷员 \
Accounts__SeedUsers__0__Roles__0=reviewer Accounts__SeedUsers__0__UnitCode=$demo_unit \
Accounts__SeedUsers__0__UnitName=杭州市综合行政执法局（演示） Accounts__SeedUsers__0__PasswordFile="$data/demo-reviewer-password" \
Accounts__SeedUsers__1__Username=demo-supervisor Accounts__SeedUsers__1__DisplayName=演示监督员 \
Accounts__SeedUsers__1__Roles__0=supervisor Accounts__SeedUsers__1__UnitCode=$demo_unit \
Accounts__SeedUsers__1__UnitName=杭州市综合行政执法局（演示） Accounts__SeedUsers__1__PasswordFile="$data/demo-supervisor-password" \
  dotnet "$data/app/player/Enforcement.Media.Player.dll" --urls "http://127.0.0.1:$player_port" >"$data/log/player.log" 2>&1 &
pids+=($!)
wait_healthy player "http://127.0.0.1:$player_port/health" "${pids[-1]}"

cat <<INFO

Enforcement.Media is running on embedded defaults, with a demo case ($demo_case).
  Demo dock:            $data/docks  (bay1, bay2: drop more GA/T 947-named files into a bay folder)
  Player (reviewers):   http://127.0.0.1:$player_port/
                        watch the demo:  demo-reviewer / $(cat "$data/demo-reviewer-password")
                        approve, ledger: demo-supervisor / $(cat "$data/demo-supervisor-password")
                        administer:      admin / $(cat "$admin_password_file")
                        (passwords kept in $data/demo-*-password)
  Ingest API:           http://127.0.0.1:$ingest_port/   (health: /health)
  Catalogue:            PostgreSQL on 127.0.0.1:$EM_PG_PORT (data: $data/postgres)
  Evidence store:       $data/evidence  (filesystem, write-once; see README for S3 Object Lock)
  Audit trail:          hash-chained in PostgreSQL, checkpoints signed with $signing_key
                        verify: ConnectionStrings__Catalogue="$EM_PG_CONNECTION" Store__FileSystem__Root="$data/evidence" \\
                                Audit__SigningKeyPath="$signing_key" dotnet $data/app/ingest/Enforcement.Media.Ingest.dll audit verify
  Logs:                 $data/log/
Press Ctrl-C to stop.
INFO

# Stay up until Ctrl-C, or until either process dies (then stop the rest and fail).
wait -n "${pids[@]}"
echo "error: a process exited unexpectedly; see $data/log/" >&2
exit 1
