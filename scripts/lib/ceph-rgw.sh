#!/usr/bin/env bash
# Throwaway single-node Ceph (1 mon, 1 bluestore OSD, 1 radosgw) on loopback:
# a real S3 server with Object Lock for tests and benchmarks.
#
#   ceph-rgw.sh start <state-dir>  (re)create <state-dir>, start mon -> OSD ->
#       radosgw, create an S3 user; writes <state-dir>/env (EM_S3_* exports),
#       <state-dir>/pids (one PID a line, start order), logs in <state-dir>/log
#   ceph-rgw.sh stop <state-dir>   stop exactly the PIDs in <state-dir>/pids
#       (gateway -> OSD -> monitor); idempotent
#
# Everything (config, data, sockets, logs) lives under <state-dir>, so several
# clusters can run at once; /etc/ceph, /var/lib/ceph, /var/run/ceph are unused.
set -euo pipefail

readonly PROG=${0##*/}
READY_TIMEOUT=${CEPH_RGW_READY_TIMEOUT:-90}  # seconds for the whole start-up
STOP_TIMEOUT=${CEPH_RGW_STOP_TIMEOUT:-20}    # seconds per daemon before SIGKILL
BLOCK_GB=${CEPH_RGW_BLOCK_GB:-20}            # sparse OSD device size

usage() { echo "usage: $PROG start|stop <state-dir>" >&2; exit 2; }
log() { echo "$PROG: $*" >&2; }

# True while PID runs. A dead daemon can linger as a zombie (state Z) until its
# parent reaps it, so `kill -0` would report it alive; read /proc/PID/stat.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }   # the command name may contain spaces; the state follows ')'
  [[ ${stat%% *} != [ZX] ]]
}

# Guard against PID reuse: only signal processes whose command line names this
# cluster's config file, i.e. processes this script started.
ours() {
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *" -c $CONF "* || $cmd == *" -c $CONF" ]]
}

wait_exit() {  # PID SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do alive "$1" || return 0; sleep 0.1; done
  ! alive "$1"
}

stop_cluster() {
  local pidfile=$STATE/pids pid pids=() i
  [[ -f $pidfile ]] || { log "nothing to stop in $STATE"; return 0; }
  mapfile -t pids <"$pidfile"
  # Reverse start order: gateway, OSD, monitor. Stopping them concurrently hangs
  # radosgw (it waits for OSDs that are gone), so each must be gone first.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    if ! [[ $pid =~ ^[0-9]+$ ]] || ! alive "$pid" || ! ours "$pid"; then continue; fi
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$STOP_TIMEOUT"; then
      log "PID $pid ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || { log "PID $pid did not exit"; return 1; }
    fi
  done
}

# Free ports below the default ephemeral range (32768+), so outgoing connections
# cannot take them before the daemons bind. "Free": nothing listens (a connect
# is refused at once on loopback). Random, so concurrent starts rarely collide.
pick_ports() {
  local p used=" " var
  for var in "$@"; do
    while :; do
      p=$((20000 + RANDOM % 12000))
      [[ $used == *" $p "* ]] && continue
      listening "$p" 2>/dev/null || break
    done
    used+="$p "
    printf -v "$var" %s "$p"
  done
}

# Daemons run with -f (no self-daemonizing fork) so that $! is their real PID;
# setsid keeps terminal signals away; stdio goes to a log so that a caller
# reading our output (e.g. via $(...)) is not held open by the daemons.
spawn() {
  local name=$1; shift
  setsid "$@" </dev/null >"$STATE/log/$name.out" 2>&1 &
  echo "$!" >>"$STATE/pids"
  DAEMON_PIDS+=("$!")
}

# Poll CMD until it succeeds; fail at once if a daemon we started has died
# (instead of waiting out the timeout), or when the start-up deadline passes.
wait_until() {
  local what=$1 pid; shift
  until "$@" >/dev/null 2>&1; do
    for pid in "${DAEMON_PIDS[@]}"; do alive "$pid" || { log "daemon PID $pid exited"; return 1; }; done
    ((SECONDS < DEADLINE)) || { log "timed out after ${READY_TIMEOUT}s waiting for $what"; return 1; }
    sleep 0.05
  done
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1"); }
http_ok() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") == 200 ]]; }

step() { STEP=$1; CUR_LOGS=("${@:2}"); }

on_start_exit() {
  local rc=$? f
  ((rc == 0)) && return
  log "start FAILED during: $STEP (exit $rc)"
  for f in "${CUR_LOGS[@]}"; do
    [[ -s $f ]] && { echo "----- tail of $f -----"; tail -n 20 "$f"; } >&2
  done
  stop_cluster || true
  exit "$rc"
}

hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

write_conf() {
  # Metavariables ($name, $id, $cluster, $pid, $cctid) are expanded by Ceph.
  cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
run dir = $STATE/run
pid file = $STATE/run/\$name.pid
log file = $STATE/log/\$name.log
mon cluster log file = $STATE/log/cluster.log
crash dir = $STATE/crash
keyring = $STATE/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
# quiet health checks that are moot here (no ceph-mgr is run either); a
# mostly-full host disk must not make the monitor shut itself down
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $STATE/mon/\$cluster-\$id
admin socket = $STATE/run/\$name.asok
# propose fast so pool creation (rgw makes ~6 pools) takes ms, not seconds
paxos propose interval = 0.05

[osd]
osd data = $STATE/osd/\$cluster-\$id
admin socket = $STATE/run/\$name.asok
osd objectstore = bluestore
# sparse file: takes only the space actually written; multi-GB objects fit
bluestore block path = $STATE/osd/block.\$id
bluestore block create = true
bluestore block size = $((BLOCK_GB * 1024 * 1024 * 1024))
bluestore fsck on mount = false
bluestore fsck on mkfs = false
bdev aio poll ms = 20
# cap the OSD's caches near the 896 MiB minimum instead of the 4 GiB default
osd memory target = $((896 * 1024 * 1024))
osd op num shards = 2

[client]
# clients (ceph CLI, radosgw-admin) get a unique socket per process
admin socket = $STATE/run/\$name.\$pid.\$cctid.asok
# with auth none, the default "secure crc" makes rgw hang 300 s on the mon
ms mon client mode = crc
# an op sent before the OSD is up is only retried on the objecter tick
# (default 5 s), which alone made rgw's first start 4 s slower
objecter tick interval = 0.1

[client.rgw.gw]
admin socket = $STATE/run/\$name.asok
rgw data = $STATE/rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw enable usage log = false
# one lifecycle worker: with the default 3, workers collide on shard locks and
# sleep 5 s, which radosgw then waits out on shutdown
rgw lc max worker = 1
EOF
}

start_cluster() {
  local osd_uuid osd_id ak sk url ms t0=${EPOCHREALTIME//[!0-9]/}
  if [[ -f $STATE/pids ]]; then stop_cluster; fi
  # Wipe only what is recognisably one of our state dirs (or an empty dir).
  if [[ -d $STATE && -n $(ls -A "$STATE") && ! -f $STATE/ceph.conf ]]; then
    log "refusing to wipe $STATE: not empty and not a ceph-rgw state dir"; exit 1
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE"/{log,run,crash,rgw,mon,osd/ceph-0}
  DAEMON_PIDS=() STEP=init CUR_LOGS=()
  trap on_start_exit EXIT
  trap 'exit 130' INT TERM HUP   # so that on_start_exit cleans up on Ctrl-C too
  export CEPH_CONF=$CONF; unset CEPH_ARGS
  local setup_log=$STATE/log/setup.log
  FSID=$(cat /proc/sys/kernel/random/uuid)
  pick_ports MON_V2 MON_V1 RGW_PORT
  write_conf
  DEADLINE=$((SECONDS + READY_TIMEOUT))

  step "monitor mkfs/start" "$setup_log" "$STATE/log/mon.a.log" "$STATE/log/mon.a.out"
  monmaptool --create --clobber --addv a "[v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]" \
    --fsid "$FSID" "$STATE/monmap" >>"$setup_log" 2>&1
  ceph-mon --mkfs -i a --monmap "$STATE/monmap" -c "$CONF" >>"$setup_log" 2>&1
  spawn mon.a ceph-mon -f -i a -c "$CONF"
  wait_until "monitor port $MON_V2" listening "$MON_V2"

  step "OSD registration/mkfs" "$setup_log" "$STATE/log/osd.0.log" "$STATE/log/mon.a.log"
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(timeout 30 ceph -c "$CONF" --connect-timeout 25 osd new "$osd_uuid" 2>>"$setup_log")
  [[ $osd_id == 0 ]] || { log "unexpected OSD id '$osd_id'"; exit 1; }
  ceph-osd --mkfs -i 0 --osd-uuid "$osd_uuid" -c "$CONF" >>"$setup_log" 2>&1
  step "OSD start" "$STATE/log/osd.0.log" "$STATE/log/osd.0.out"
  spawn osd.0 ceph-osd -f -i 0 -c "$CONF"

  # radosgw waits by itself for the OSD to come up and creates its pools.
  step "radosgw start" "$STATE/log/osd.0.log" "$STATE/log/client.rgw.gw.log" \
    "$STATE/log/client.rgw.gw.out"
  spawn client.rgw.gw radosgw -f -n client.rgw.gw -c "$CONF"
  url=http://127.0.0.1:$RGW_PORT
  wait_until "gateway at $url" http_ok "$url/"

  # Only now: radosgw has created the default zone, so radosgw-admin can't race it.
  step "S3 user creation" "$setup_log" "$STATE/log/client.admin.log"
  ak=$(hexkey 10 | tr a-f A-F) sk=$(hexkey 20)
  timeout 60 radosgw-admin -c "$CONF" user create --uid=em-test --display-name="EM test" \
    --access-key="$ak" --secret-key="$sk" >>"$setup_log" 2>&1
  # A signed request proves the credentials work (the header: SHA-256 of no body).
  wait_until "a signed S3 request to succeed" curl -sf -o /dev/null --max-time 2 \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ak:$sk" \
    -H "x-amz-content-sha256: $(sha256sum </dev/null | cut -d' ' -f1)" "$url/"

  # written then renamed, so a reader never sees a partial file
  cat >"$STATE/env.tmp" <<EOF
export EM_S3_ENDPOINT=$url
export EM_S3_ACCESS_KEY=$ak
export EM_S3_SECRET_KEY=$sk
export EM_S3_REGION=us-east-1
EOF
  mv "$STATE/env.tmp" "$STATE/env"
  trap - EXIT INT TERM HUP
  ms=$(((${EPOCHREALTIME//[!0-9]/} - t0) / 1000))
  echo "ceph-rgw: S3 at $url ready in $((ms / 1000)).$(printf %03d $((ms % 1000)))s (fsid $FSID, pids $(paste -sd, "$STATE/pids"), env $STATE/env)"
}

if (($# != 2)) || [[ -z $2 ]]; then usage; fi
STATE=$(realpath -m -- "$2")
if [[ $STATE == / ]]; then usage; fi
CONF=$STATE/ceph.conf
case $1 in
  start) start_cluster ;;
  stop) stop_cluster ;;
  *) usage ;;
esac
