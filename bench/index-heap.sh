#!/usr/bin/env bash
# Index heap per object (issue #20): OpenCache (controller and node in one process, embedded
# database, through bin/opencache) with a chosen heap, max_cache_size 32MB and max_disk 2GB, in
# front of an nginx origin that serves the same small body for every /o/ path; wrk pushes N
# distinct URLs through one instance (every request a miss that stores a new object). Then it
# reports the requests answered and failed, whether an OutOfMemoryError was logged, whether the
# process is still alive (bin/opencache runs it with -XX:+ExitOnOutOfMemoryError, so after one it
# should have exited, status 3), and, when alive, the live heap after a full GC per stored object
# (node /status cache_items; jcmd GC.class_histogram, which collects first).
#
# With --restart it then stops OpenCache, starts it again on the same cache_path and reports how
# long the store took to load its index (the node's "Loaded N cached keys" line) and how long the
# whole start took, until the instance answered.
#
#   bench/index-heap.sh [-x 384m] [-n 200000] [--hits] [--restart] [--java-opts "..."] [--keep]
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
export BENCH_LIB="$BENCH/lib"
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

HEAP=384m          # -Xmx of the OpenCache JVM
COUNT=200000       # distinct URLs pushed
HITS=0             # then ask every URL once more (hits), and measure again
RESTART=0          # then restart OpenCache and time the store's load
EXTRA_OPTS=""      # more JVM options, e.g. -XX:-ExitOnOutOfMemoryError to see the old behaviour
THREADS=2
CONNECTIONS=50
CAP=900            # seconds wrk may run at most (a JVM that lingers half-dead answers nothing)
KEEP=0
BASE_PORT=18280
CACHE_SIZE_MB=32
OC_MAX_DISK_MB=2048
SMALL_OBJ=100
ZIPF_OBJ=3072      # make_content's other files; unused here
JFR=0

usage() {
  cat <<EOF
usage: bench/index-heap.sh [options]
  -x, --heap SIZE        -Xmx of the OpenCache JVM ($HEAP)
  -n, --count N          distinct URLs pushed ($COUNT)
      --hits             then request every URL once more (all hits) and measure again
      --restart          then restart OpenCache on the same cache and time the start
      --java-opts "..."  more JVM options for OpenCache (OPENCACHE_JAVA_OPTS)
  -c, --connections N    wrk connections ($CONNECTIONS), -t/--threads N wrk threads ($THREADS)
      --cap SECONDS      longest a wrk pass may run ($CAP)
      --port N           origin port; OpenCache's ports follow from N+20 ($BASE_PORT)
      --keep             keep the run directory (logs, configs)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -x|--heap) HEAP=$2; shift ;;
    -n|--count) COUNT=$2; shift ;;
    --hits) HITS=1 ;;
    --restart) RESTART=1 ;;
    --java-opts) EXTRA_OPTS=$2; shift ;;
    -c|--connections) CONNECTIONS=$2; shift ;;
    -t|--threads) THREADS=$2; shift ;;
    --cap) CAP=$2; shift ;;
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

jcmd_oc() { "$(dirname "$(readlink "/proc/$OC_PID/exe")")/jcmd" "$OC_PID" "$@"; }

# live_heap TAG: bytes of live objects after a full GC (GC.class_histogram collects first); the
# histogram's top classes go to $RUN/histogram-TAG.txt.
live_heap() {
  jcmd_oc GC.class_histogram >"$RUN/histogram-$1.txt"
  awk '$1 == "Total" {print $3}' "$RUN/histogram-$1.txt"
}

oom_lines() { cat "$RUN"/opencache/*.log 2>/dev/null | grep -c 'OutOfMemoryError' || true; }

# push PASS_NAME: one wrk pass over COUNT URLs of run id "1"; PUSH_RESULT gets the fields of wrk's
# RESULT line.
# Stops wrk with SIGINT (it still reports) when its threads are done, or when OpenCache exits.
push() {
  DISTINCT_COUNT=$COUNT DISTINCT_THREADS=$THREADS DISTINCT_RUN=1 DISTINCT_DONE="$RUN/done-$1" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${CAP}s" --timeout 5s -s "$BENCH/lib/distinct.lua" \
    "http://127.0.0.1:$OC_PORT/" >"$RUN/wrk-$1.out" 2>&1 &
  local wrk_pid=$! t=0
  PIDS+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if ! kill -0 "$OC_PID" 2>/dev/null; then
      log "OpenCache exited during the $1 pass; stopping wrk"
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    if [ "$(ls "$RUN/done-$1".* 2>/dev/null | wc -l)" = "$THREADS" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 1
    t=$((t + 1))
    if [ $((t % 15)) = 0 ]; then
      log "$1: ${t}s, cache_items $(status_field cache_items), RSS $(awk '/^VmRSS/ {print $2}' "/proc/$OC_PID/status" 2>/dev/null) kB, OutOfMemoryError lines $(oom_lines)"
    fi
  done
  wait "$wrk_pid" || true
  cat "$RUN/wrk-$1.out" >&2
  PUSH_RESULT=$(sed -n 's/^RESULT //p' "$RUN/wrk-$1.out")
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# measure TAG: "items live_bytes" when OpenCache is alive and answers, else nothing
measure() {
  kill -0 "$OC_PID" 2>/dev/null || return 0
  local items live
  items=$(status_field cache_items)
  [ -n "$items" ] || return 0
  live=$(live_heap "$1") || return 0
  echo "$items $live"
}

# restart_opencache: stops OpenCache, starts it on the same cache; RESTART_RESULT says what the
# start took.
restart_opencache() {
  kill -TERM "$OC_PID"
  wait "$OC_PID" 2>/dev/null || true
  mv "$RUN/opencache/opencache.log" "$RUN/opencache/opencache-first.log" 2>/dev/null || true
  local started ended loaded
  started=$(date +%s.%N)
  start_opencache
  ended=$(date +%s.%N)
  loaded=$(grep -h -o 'Loaded [0-9]* cached keys.* in [0-9]* ms' "$RUN"/opencache/*.log | tail -1)
  log "after the restart: $loaded"
  local keys ms seconds
  keys=$(echo "$loaded" | sed -n 's/Loaded \([0-9]*\) .*/\1/p')
  ms=$(echo "$loaded" | sed -n 's/.* in \([0-9]*\) ms/\1/p')
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.1f", b - a}')
  RESTART_RESULT="restart_seconds=$seconds restart_loaded_keys=$keys restart_load_ms=$ms"
}

main() {
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-index-heap.XXXXXX")
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  log "run directory $RUN; load average: $load_start; commit $(git -C "$ROOT" rev-parse --short HEAD)"
  log "heap -Xmx$HEAP, max_cache_size ${CACHE_SIZE_MB}MB, max_disk ${OC_MAX_DISK_MB}MB, $COUNT distinct URLs of $SMALL_OBJ bytes, wrk -t$THREADS -c$CONNECTIONS"
  make_content
  mkdir -p "$RUN/origin"
  start_origin
  export OPENCACHE_JAVA_OPTS="-Xmx$HEAP $EXTRA_OPTS"
  start_opencache
  log "OpenCache pid $OC_PID, instance :$OC_PORT; JVM flags: $(tr '\0' ' ' <"/proc/$OC_PID/cmdline" | sed 's/ -jar .*//')"
  local base before after result hit_result=""
  base=$(measure base)
  log "before the push: cache_items and live heap bytes: $base"

  push miss
  result=$PUSH_RESULT
  if [ "$HITS" = 1 ] && kill -0 "$OC_PID" 2>/dev/null; then
    after=$(measure miss)
    log "after the miss pass: cache_items and live heap bytes: $after"
    push hit
    hit_result=$PUSH_RESULT
  fi
  sleep 2   # the log's last lines
  local alive=no status=""
  if kill -0 "$OC_PID" 2>/dev/null; then
    alive=yes
  else
    wait "$OC_PID" && status=0 || status=$?
  fi
  before=${after:-}
  after=$(measure end)
  local oom
  oom=$(oom_lines)
  log "OutOfMemoryError lines in the log: $oom"
  grep -h -m 5 'OutOfMemoryError' "$RUN"/opencache/*.log >&2 || true
  log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (start: $load_start)"

  local per="n/a" delta="n/a" hitcost="n/a" items="n/a" live="n/a"
  if [ -n "$after" ]; then
    read -r items live <<<"$after"
    per=$(awk -v l="$live" -v i="$items" 'BEGIN {if (i > 0) printf "%.0f", l / i; else print "n/a"}')
    read -r bi bl <<<"$base"
    local ref_items=$items ref_live=$live
    if [ -n "$before" ]; then read -r ref_items ref_live <<<"$before"; fi
    delta=$(awk -v l="$ref_live" -v b="$bl" -v i="$ref_items" -v j="$bi" \
      'BEGIN {if (i > j) printf "%.0f", (l - b) / (i - j); else print "n/a"}')
    if [ -n "$before" ]; then
      hitcost=$(awk -v l="$live" -v b="$ref_live" -v i="$items" 'BEGIN {if (i > 0) printf "%.0f", (l - b) / i; else print "n/a"}')
    fi
  fi
  local restart=""
  if [ "$RESTART" = 1 ] && [ "$alive" = yes ]; then
    restart_opencache   # not in a subshell: the EXIT trap must know the new pid
    restart=$RESTART_RESULT
  fi
  echo "SUMMARY heap=-Xmx$HEAP count=$COUNT answered=$(field "$result" requests) non2xx=$(field "$result" non2xx)" \
    "socket_errors=connect:$(field "$result" connect),read:$(field "$result" read),write:$(field "$result" write),timeout:$(field "$result" timeout)" \
    "${hit_result:+hit_pass_answered=$(field "$hit_result" requests) hit_pass_non2xx=$(field "$hit_result" non2xx) }" \
    "oom_log_lines=$oom alive=$alive${status:+ exit_status=$status} cache_items=$items live_heap_bytes=$live" \
    "bytes_per_object=$per bytes_per_object_over_baseline=$delta${before:+ bytes_per_hit_object=$hitcost}" \
    "$restart"
}

main
