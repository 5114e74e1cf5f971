#!/usr/bin/env bash
# Prefix purge under load (issue 18 item 1): OpenCache (controller and node in one process,
# embedded database, through bin/opencache) in front of an nginx origin; wrk pushes N distinct
# small objects (/o/...) into one instance's store, as bench/index-heap.sh does. Then wrk drives
# hits on one hot URL (/1k.bin) for a baseline, again while the JSON-RPC `purge` drops every
# object under the prefix /o/ (the node reads every record of the store to find them), and once
# more afterwards. It prints the purge's duration and count, and the hits' throughput and
# p50/p99 latency before, during and after.
#
#   bench/purge.sh [-n 1000000] [-x 1g] [-d 10] [-c 16] [--port N] [--keep]
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
export BENCH_LIB="$BENCH/lib"
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

HEAP=1g            # -Xmx of the OpenCache JVM
COUNT=1000000      # distinct objects stored, then purged
DURATION=10        # seconds of the hit passes before and after the purge
HOT_CONNECTIONS=16 # wrk connections asking for the hot URL
THREADS=2          # wrk threads of the fill
CONNECTIONS=50     # wrk connections of the fill
CAP=1800           # seconds a wrk pass may run at most
KEEP=0
BASE_PORT=18380
CACHE_SIZE_MB=32
OC_MAX_DISK_MB=4096
SMALL_OBJ=100
ZIPF_OBJ=3072      # make_content's other files; unused here
JFR=0

usage() {
  cat <<EOF
usage: bench/purge.sh [options]
  -n, --count N          distinct objects stored and then purged ($COUNT)
  -x, --heap SIZE        -Xmx of the OpenCache JVM ($HEAP)
  -d, --duration S       seconds of the hit passes before and after the purge ($DURATION)
  -c, --connections N    wrk connections asking for the hot URL ($HOT_CONNECTIONS)
      --port N           origin port; OpenCache's ports follow from N+20 ($BASE_PORT)
      --keep             keep the run directory (logs, configs)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n|--count) COUNT=$2; shift ;;
    -x|--heap) HEAP=$2; shift ;;
    -d|--duration) DURATION=$2; shift ;;
    -c|--connections) HOT_CONNECTIONS=$2; shift ;;
    --port) BASE_PORT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

ORIGIN_PORT=$BASE_PORT
OC_CONTROLLER_PORT=$((BASE_PORT + 20))
OC_NOTIFY_PORT=$((BASE_PORT + 21))
OC_NODE_PORT=$((BASE_PORT + 22))
OC_FIRST_INSTANCE_PORT=$((BASE_PORT + 23))
# A purge answers when it is done: the controller must wait for it longer than the default 5 s.
OC_CONF_SED="s#^command_timeout = .*#command_timeout = ${CAP}s#"
export SMALL_OBJ OC_MAX_DISK_MB

PIDS=()
RUN=""
remove_run_on_exit

for t in wrk nginx curl python3; do command -v "$t" >/dev/null || die "needs $t (apt-get install $t)"; done
refuse_used_ports "$ORIGIN_PORT" "$OC_CONTROLLER_PORT" "$OC_NOTIFY_PORT" "$OC_NODE_PORT"

status_field() {  # FIELD: from the node's /status, or nothing when it does not answer
  curl -s --max-time 10 "http://127.0.0.1:$OC_NODE_PORT/status" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" 2>/dev/null || true
}

# fill: one wrk pass storing COUNT distinct /o/ objects (bench/lib/distinct.lua), stopped with
# SIGINT once every thread has its share.
fill() {
  DISTINCT_COUNT=$COUNT DISTINCT_THREADS=$THREADS DISTINCT_RUN=1 DISTINCT_DONE="$RUN/done-fill" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${CAP}s" --timeout 5s -s "$BENCH/lib/distinct.lua" \
    "http://127.0.0.1:$OC_PORT/" >"$RUN/wrk-fill.out" 2>&1 &
  local wrk_pid=$! t=0
  PIDS+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null; do
    kill -0 "$OC_PID" 2>/dev/null || die "OpenCache exited during the fill"
    if [ "$(ls "$RUN/done-fill".* 2>/dev/null | wc -l)" = "$THREADS" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 1
    t=$((t + 1))
    [ $((t % 30)) = 0 ] && log "fill: ${t}s, cache_items $(status_field cache_items)"
  done
  wait "$wrk_pid" || true
  log "fill: $(sed -n 's/^RESULT //p' "$RUN/wrk-fill.out") in ${t}s"
}

# hot TAG SECONDS: wrk on the hot URL; prints "rps p50_us p99_us errors requests" (bench/lib/report.lua).
hot() {
  wrk -t 1 -c "$HOT_CONNECTIONS" -d "${2}s" --timeout 5s -s "$BENCH/lib/report.lua" \
    "http://127.0.0.1:$OC_PORT/1k.bin" >"$RUN/wrk-$1.out" 2>&1 || true
  sed -n 's/^RESULT //p' "$RUN/wrk-$1.out"
}

describe() {  # "rps p50 p99 errors requests" -> words
  read -r rps p50 p99 errors requests <<<"$1"
  echo "${rps} req/s, p50 ${p50} us, p99 ${p99} us, ${errors} errors, ${requests} requests"
}

main() {
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-purge.XXXXXX")
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  log "run directory $RUN; load average: $load_start; $(nproc) cores; commit $(git -C "$ROOT" rev-parse --short HEAD)"
  log "heap -Xmx$HEAP, max_cache_size ${CACHE_SIZE_MB}MB, max_disk ${OC_MAX_DISK_MB}MB, $COUNT objects of $SMALL_OBJ bytes; hot URL /1k.bin, wrk -t1 -c$HOT_CONNECTIONS"
  make_content
  mkdir -p "$RUN/origin"
  start_origin
  export OPENCACHE_JAVA_OPTS="-Xmx$HEAP"
  start_opencache
  log "OpenCache pid $OC_PID, instance :$OC_PORT"

  fill
  local stored
  stored=$(status_field cache_items)
  log "stored: cache_items $stored"
  curl -s -o /dev/null "http://127.0.0.1:$OC_PORT/1k.bin"
  curl -s -o /dev/null "http://127.0.0.1:$OC_PORT/1k.bin"

  local before during after
  before=$(hot before "$DURATION")
  log "hits before the purge: $(describe "$before")"

  # The hits during the purge: wrk runs from a second before the purge until it has answered.
  wrk -t 1 -c "$HOT_CONNECTIONS" -d "${CAP}s" --timeout 5s -s "$BENCH/lib/report.lua" \
    "http://127.0.0.1:$OC_PORT/1k.bin" >"$RUN/wrk-during.out" 2>&1 &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  sleep 1
  local started ended answer seconds
  started=$(date +%s.%N)
  answer=$(curl -sS --max-time "$CAP" -H 'Content-Type: application/json' --data-binary \
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"purge\",\"params\":{\"prefix\":\"127.0.0.1:$ORIGIN_PORT/o/\"}}" \
    "http://127.0.0.1:$OC_CONTROLLER_PORT/")
  ended=$(date +%s.%N)
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  during=$(sed -n 's/^RESULT //p' "$RUN/wrk-during.out")
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.2f", b - a}')
  log "purge answered in ${seconds}s: $answer"
  log "hits during the purge: $(describe "$during")"
  local left
  left=$(status_field cache_items)
  log "after the purge: cache_items $left"

  after=$(hot after "$DURATION")
  log "hits after the purge: $(describe "$after")"
  log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (start: $load_start)"

  local purged
  purged=$(echo "$answer" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["result"].values()))' 2>/dev/null || echo "n/a")
  read -r b_rps _ b_p99 _ _ <<<"$before"
  read -r d_rps _ d_p99 d_err _ <<<"$during"
  read -r a_rps _ a_p99 _ _ <<<"$after"
  echo "SUMMARY objects=$stored purged=$purged purge_seconds=$seconds items_after=$left" \
    "hits_before_rps=$b_rps hits_before_p99_us=$b_p99 hits_during_rps=$d_rps hits_during_p99_us=$d_p99" \
    "hits_during_errors=$d_err hits_after_rps=$a_rps hits_after_p99_us=$a_p99"
}

main
