#!/usr/bin/env bash
# A throwaway S3 server for tests: Debian's Ceph radosgw on 127.0.0.1, backed by one
# monitor and one OSD (Ceph 16 has no standalone backend), all under one data dir.
#
#   bash scripts/radosgw.sh start   # start it (or reuse the one answering), print the env
#   bash scripts/radosgw.sh env     # print the export lines for the tests
#   bash scripts/radosgw.sh stop    # kill its daemons and remove its data dir
#
# Settings: RADOSGW_DIR (/tmp/yiyanming-radosgw), RADOSGW_PORT (7480, the S3 port),
# RADOSGW_MON_PORT (RADOSGW_PORT+1), RADOSGW_OBJECTSTORE (memstore: in memory, no disk;
# or bluestore: a sparse file in the data dir). Nothing outside the data dir is touched.
# Needs: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd
set -uo pipefail

DIR=${RADOSGW_DIR:-/tmp/yiyanming-radosgw}
PORT=${RADOSGW_PORT:-7480}
MON_PORT=${RADOSGW_MON_PORT:-$((PORT + 1))}
STORE=${RADOSGW_OBJECTSTORE:-memstore}
TIMEOUT=60
ACCESS_KEY=yiyanming-test
SECRET_KEY=yiyanming-test-secret-key
CONF=$DIR/ceph.conf
LOG=$DIR/log/start.log
export CEPH_CONF=$CONF

print_env() {
  echo "export TEST_S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "export TEST_S3_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "export TEST_S3_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "export TEST_S3_REGION=us-east-1"
}

# An anonymous GET / on a working S3 gateway returns an XML bucket list.
answering() {
  curl -s --max-time 3 "http://127.0.0.1:$PORT/" 2>/dev/null | grep -q 'ListAllMyBucketsResult'
}

# Our daemons: Ceph processes started with our ceph.conf (found by reading /proc, so
# nothing else is ever matched, even if a stale pid was reused).
our_pids() {
  local p
  for p in /proc/[0-9]*; do
    case "$(readlink "$p/exe" 2>/dev/null)" in
      */ceph-mon | */ceph-osd | */radosgw | */radosgw-admin) ;;
      *) continue ;;
    esac
    tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF -- "$CONF" && echo "${p#/proc/}"
  done
}

# SIGKILL: the data is thrown away anyway, and a graceful stop takes seconds
# (memstore would even write all its objects to disk first).
stop_daemons() {
  local pids
  pids=$(our_pids)
  [ -n "$pids" ] || return 0
  kill -9 $pids 2>/dev/null
  for _ in $(seq 1 50); do
    [ -z "$(our_pids)" ] && return 0
    sleep 0.1
  done
  echo "radosgw.sh: could not stop pids $pids" >&2
  return 1
}

show_logs() {
  local f
  for f in mon.a osd.0 start client.rgw.yym; do
    [ -s "$DIR/log/$f.log" ] || continue
    echo "--- tail of $DIR/log/$f.log" >&2
    tail -n 10 "$DIR/log/$f.log" >&2
  done
}

fail() {
  echo "radosgw.sh: $*" >&2
  show_logs
  stop_daemons
  echo "radosgw.sh: $* (daemons stopped, logs kept in $DIR/log)" >&2
  exit 1
}

write_conf() {
  cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
# No cephx; with auth none the messenger must prefer crc mode, or clients fail with -13.
auth cluster required = none
auth service required = none
auth client required = none
ms cluster mode = crc secure
ms service mode = crc secure
ms client mode = crc secure
ms mon cluster mode = crc secure
ms mon service mode = crc secure
ms mon client mode = crc secure
# One OSD: pools of size 1 with few placement groups.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
# A nearly full disk must not stop the monitor (it would at 5% free by default).
mon data avail warn = 1
mon data avail crit = 0
# Commit monitor changes every 0.1 s instead of 1 s: radosgw creates its pools one by one,
# and this makes the start 2 s instead of 12 s (and the first bucket 0.3 s instead of 2 s).
paxos propose interval = 0.1
# Keep every file in the data dir.
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
mon cluster log file = $DIR/log/cluster.log
crash dir = $DIR/crash
keyring = $DIR/keyring
mon data = $DIR/mon
osd data = $DIR/osd
rgw data = $DIR/rgw
osd op num shards = 1
osd objectstore = $STORE
memstore device bytes = 2147483648
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mkfs = false

[client.rgw.yym]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw thread pool size = 32
EOF
}

start() {
  if answering; then print_env; return 0; fi
  local tool
  for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph-authtool ceph curl; do
    command -v "$tool" >/dev/null || {
      echo "radosgw.sh: '$tool' is missing; install with: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl" >&2
      exit 1
    }
  done
  stop_daemons
  rm -rf "$DIR"
  mkdir -p "$DIR"/{run,log,crash,mon,osd,rgw} || exit 1
  FSID=$(cat /proc/sys/kernel/random/uuid)
  local osd_uuid
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  write_conf
  local began=$SECONDS deadline=$((SECONDS + TIMEOUT))

  # Monitor. mkfs wants a keyring even with auth none.
  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null || fail "ceph-authtool failed"
  monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null || fail "monmaptool failed"
  ceph-mon --conf "$CONF" -i a --mkfs --monmap "$DIR/monmap" >>"$LOG" 2>&1 || fail "ceph-mon --mkfs failed"
  ceph-mon --conf "$CONF" -i a >>"$LOG" 2>&1 || fail "ceph-mon did not start"

  # One OSD.
  local id
  id=$(timeout 30 ceph --conf "$CONF" --connect-timeout 25 osd new "$osd_uuid" 2>>"$LOG") || fail "the monitor did not answer 'ceph osd new'"
  ceph-osd --conf "$CONF" -i "$id" --mkfs --osd-uuid "$osd_uuid" >>"$LOG" 2>&1 || fail "ceph-osd --mkfs ($STORE) failed"
  ceph-osd --conf "$CONF" -i "$id" >>"$LOG" 2>&1 || fail "ceph-osd did not start"

  # The gateway; it creates its pools once the OSD is up.
  radosgw --conf "$CONF" -n client.rgw.yym >>"$LOG" 2>&1 || fail "radosgw did not start"
  until answering; do
    [ "$SECONDS" -lt "$deadline" ] || fail "S3 did not answer on 127.0.0.1:$PORT within ${TIMEOUT}s"
    our_pids | while read -r p; do readlink "/proc/$p/exe"; done | grep -q '/radosgw$' || fail "radosgw exited"
    sleep 0.5
  done

  # The test user, with fixed keys.
  timeout $((deadline - SECONDS + 5)) radosgw-admin --conf "$CONF" user create --uid yiyanming-test \
    --display-name "yiyanming tests" --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" \
    >>"$LOG" 2>&1 || fail "radosgw-admin user create failed"
  echo "radosgw.sh: S3 on http://127.0.0.1:$PORT ($STORE, started in $((SECONDS - began)) s, data in $DIR)" >&2
  print_env
}

case "${1:-}" in
  start) start ;;
  stop) stop_daemons && rm -rf "$DIR" ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
