#!/usr/bin/env bash
# Soak (issue 20): Zipf through one OpenCache node at a fixed share of its measured peak for
# minutes on end. Starts the nginx origin and OpenCache (controller and node in one JVM, as
# bench/run.sh does) with run.sh's Zipf workload (10 000 URLs of 3 KiB, s = 1.0, cache bound
# 8 MiB), warms it, measures the peak with an unpaced Zipf pass, then runs the paced pass
# (lib/zipf_paced.lua) as back-to-back wrk runs of one sample window each. After every window
# it records the JVM's VmRSS, the window's requests and errors (wrk: status >= 400, connect,
# read, write, timeout) and its hits and misses (the node's /status counters), and prints a
# line; at the end, a summary table and a verdict against: RSS within 10 % of the one at the
# end of the first minute, no errors, per-minute hit ratios after the first minute within
# +-0.03 of their mean. Exits 1 on FAIL. Run `bench/soak.sh --help` for the flags.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
export BENCH_LIB="$BENCH/lib"

MINUTES=10         # paced pass
FRACTION=0.8       # of the peak
RATE=""            # or this many requests/s, with no peak pass
SAMPLE=10          # seconds per sample window (one wrk run each)
PEAK=20            # seconds of the unpaced pass that measures the peak
WARM=30            # seconds of unpaced warm-up before it: Zipf's miss path compiles for ~30 s
THREADS=2          # wrk threads
CONNECTIONS=50     # wrk connections
CACHE_SIZE_MB=8
ZIPF_URLS=10000
ZIPF_S=1.0
ZIPF_OBJ=3072
KEEP=0
JFR=0
BASE_PORT=18380    # origin; OpenCache's ports from N+20 (run.sh uses 18080, index-heap.sh 18280)

usage() {
  cat <<EOF
usage: bench/soak.sh [flags]
  -m, --minutes N        minutes of the paced pass, at least 2 ($MINUTES)
  -f, --fraction F       paced rate as a fraction of the measured peak ($FRACTION)
      --rate R           paced rate in requests/s instead: no peak pass (repeats a run's rate)
      --sample S         seconds per sample, a divisor of 60 ($SAMPLE)
      --peak S           seconds of the unpaced pass that measures the peak ($PEAK)
  -w, --warm S           seconds of unpaced warm-up before it ($WARM)
  -t, --threads N        wrk threads ($THREADS)
  -c, --connections N    wrk connections ($CONNECTIONS)
      --cache-mb N       OpenCache's max_cache_size and max_disk in MiB ($CACHE_SIZE_MB)
      --zipf-s X         Zipf exponent ($ZIPF_S)
      --port N           origin port; OpenCache's ports are N+20 to N+28 ($BASE_PORT)
      --jfr              record a JFR profile of OpenCache (opencache.jfr in the run directory)
      --keep             keep the run directory (configs, logs, samples.txt)
Exits 0 on PASS, 1 on FAIL.
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -m|--minutes) MINUTES=$2; shift ;;
    -f|--fraction) FRACTION=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --sample) SAMPLE=${2%s}; shift ;;
    --peak) PEAK=${2%s}; shift ;;
    -w|--warm) WARM=${2%s}; shift ;;
    -t|--threads) THREADS=$2; shift ;;
    -c|--connections) CONNECTIONS=$2; shift ;;
    --cache-mb) CACHE_SIZE_MB=$2; shift ;;
    --zipf-s) ZIPF_S=$2; shift ;;
    --port) BASE_PORT=$2; shift ;;
    --jfr) JFR=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown flag: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$MINUTES" -ge 2 ] 2>/dev/null || { echo "--minutes must be a whole number, at least 2" >&2; exit 2; }
[ "$SAMPLE" -ge 1 ] 2>/dev/null && [ $((60 % SAMPLE)) = 0 ] || { echo "--sample must divide 60" >&2; exit 2; }
awk -v f="$FRACTION" 'BEGIN {exit !(f > 0 && f <= 1)}' || { echo "--fraction must be in (0, 1]" >&2; exit 2; }
[ -z "$RATE" ] || [ "$RATE" -ge 1 ] 2>/dev/null || { echo "--rate must be a whole number of requests/s" >&2; exit 2; }

ORIGIN_PORT=$BASE_PORT
OC_CONTROLLER_PORT=$((BASE_PORT + 20))
OC_NOTIFY_PORT=$((BASE_PORT + 21))
OC_NODE_PORT=$((BASE_PORT + 22))
OC_FIRST_INSTANCE_PORT=$((BASE_PORT + 23))

# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

PIDS=()
RUN=""
OC_PID=""
OC_PORT=""
remove_run_on_exit

for t in wrk nginx curl python3; do command -v "$t" >/dev/null || die "needs $t (apt-get install $t)"; done
refuse_used_ports "$ORIGIN_PORT" "$OC_CONTROLLER_PORT" "$OC_NOTIFY_PORT" "$OC_NODE_PORT"

# zipf_wrk SECONDS SCRIPT OUT [ENV...]: one wrk run over the Zipf sequence; its RESULT line.
zipf_wrk() {
  local seconds=$1 script=$2 out=$3
  shift 3
  env ZIPF_SEQ="$RUN/zipf.seq" "$@" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s -s "$BENCH/lib/$script" \
    "http://127.0.0.1:$OC_PORT/" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  sed -n 's/^RESULT //p' "$out"
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

main() {
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-soak.XXXXXX")
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  log "run directory $RUN; load average: $load_start; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  make_content
  python3 "$BENCH/lib/zipf.py" gen "$ZIPF_URLS" "$ZIPF_S" 500000 42 >"$RUN/zipf.seq"
  mkdir -p "$RUN/origin"
  start_origin
  start_opencache
  log "OpenCache pid $OC_PID, instance :$OC_PORT; JVM flags: $(tr '\0' ' ' <"/proc/$OC_PID/cmdline" | sed 's/ -jar .*//')"

  log "warm-up: unpaced Zipf, ${WARM}s"
  local warm peak rate
  warm=$(zipf_wrk "$WARM" zipf.lua "$RUN/wrk-warm.out")
  if [ -n "$RATE" ]; then
    rate=$RATE
    log "warm-up ${warm%% *} req/s; no peak pass: paced at $rate req/s (--rate) for $MINUTES min"
  else
    log "warm-up ${warm%% *} req/s; peak: unpaced Zipf, ${PEAK}s"
    peak=$(zipf_wrk "$PEAK" zipf.lua "$RUN/wrk-peak.out")
    echo "$peak" >"$RUN/peak.txt"             # rps p50_us p99_us errors requests
    rate=$(awk -v r="${peak%% *}" -v f="$FRACTION" 'BEGIN {printf "%d", r * f + 0.5}')
    [ "$rate" -gt 0 ] || die "no peak measured: $peak"
    log "peak ${peak%% *} req/s (p99 $(echo "$peak" | cut -d' ' -f3) us, errors $(echo "$peak" | cut -d' ' -f4)); paced at $FRACTION x = $rate req/s for $MINUTES min"
  fi

  local windows=$((MINUTES * 60 / SAMPLE)) k res h0 m0 h m rss errors t0 now
  read -r h0 m0 < <(node_counts)
  t0=$(date +%s)
  : >"$RUN/samples.txt"
  for ((k = 1; k <= windows; k++)); do
    res=$(zipf_wrk "$SAMPLE" zipf_paced.lua "$RUN/wrk-window.out" ZIPF_RATE="$rate" ZIPF_THREADS="$THREADS")
    if ! kill -0 "$OC_PID" 2>/dev/null; then
      log "OpenCache exited during window $k; see $RUN/opencache/"
      echo "$k dead" >>"$RUN/samples.txt"
      break
    fi
    rss=$(rss_now)
    read -r h m < <(node_counts)
    now=$(($(date +%s) - t0))
    errors=$(($(field "$res" non2xx) + $(field "$res" connect) + $(field "$res" read) + $(field "$res" write) + $(field "$res" timeout)))
    # k elapsed_s rss_kb requests duration_us errors non2xx connect read write timeout hits misses p50_us p99_us
    echo "$k $now $rss $(field "$res" requests) $(field "$res" duration_us) $errors $(field "$res" non2xx)" \
      "$(field "$res" connect) $(field "$res" read) $(field "$res" write) $(field "$res" timeout)" \
      "$((h - h0)) $((m - m0)) $(field "$res" p50_us) $(field "$res" p99_us)" >>"$RUN/samples.txt"
    [ "$(field "$res" statuses)" = - ] || echo "$k $(field "$res" statuses)" >>"$RUN/statuses.txt"
    log "$(awk -v k="$k" -v s="$SAMPLE" -v r="$rss" -v n="$(field "$res" requests)" -v d="$(field "$res" duration_us)" \
      -v e="$errors" -v h=$((h - h0)) -v m=$((m - m0)) -v p="$(field "$res" p99_us)" 'BEGIN {
        printf "%2d:%02d  %6.0f req/s  %7d requests  %d errors  hit ratio %.4f  p99 %6.2f ms  RSS %d MiB",
          k * s / 60, k * s % 60, n / (d / 1e6), n, e, (h + m) ? h / (h + m) : 0, p / 1000, r / 1024}')$(
      [ "$(field "$res" statuses)" = - ] || echo "  statuses $(field "$res" statuses)")"
    h0=$h; m0=$m
  done

  if [ "$JFR" = 1 ] && kill -0 "$OC_PID" 2>/dev/null; then
    "$(dirname "$(readlink "/proc/$OC_PID/exe")")/jcmd" "$OC_PID" JFR.dump filename="$RUN/opencache.jfr" >/dev/null
    log "JFR profile: $RUN/opencache.jfr"
  fi
  python3 "$BENCH/lib/soak_summary.py" "$RUN" "$MINUTES" "$SAMPLE" "$FRACTION" "$rate" \
    "Zipf ($ZIPF_URLS URLs of $((ZIPF_OBJ / 1024)) KiB, s = $ZIPF_S) through one OpenCache node, cache bound ${CACHE_SIZE_MB} MiB, wrk -t$THREADS -c$CONNECTIONS; ${RATE:+rate from --rate, }${RATE:-peak from ${PEAK}s unpaced }after ${WARM}s warm-up; load average $load_start -> $(cut -d' ' -f1-3 /proc/loadavg)"
}

main
