#!/usr/bin/env bash
# Two builds of OpenCache side by side: a base revision against the working tree (or a second
# revision), both warm behind one nginx origin, hits measured in alternation (A, B, A, B ...).
#
# On a shared machine a change of a few per cent in a hit's cost is lost in the drift between
# two runs of bench/run.sh; measured in alternation, both builds see the same drift. Prints the
# medians of requests/s, p99 and each JVM's CPU time per request, and candidate/base ratios.
# Installs nothing: see bench/README.md. Run `bench/ab.sh --help` for the flags.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

THREADS=2
CONNECTIONS=50
DURATION=6
WARM=10
ROUNDS=8
WORKLOADS="1k 100k"
BASE_PORT=18080
CACHE_SIZE_MB=8
ZIPF_OBJ=3072
JFR=0
ACCESS_LOG_FORMAT=""
CLK_TCK=$(getconf CLK_TCK)

usage() {
  cat <<EOF
usage: bench/ab.sh [flags] BASE [CANDIDATE]
  BASE, CANDIDATE        git revisions, or . for the working tree (uncommitted changes
                         included, nothing checked out); CANDIDATE defaults to the working tree
  -d, --duration S       seconds per measured run ($DURATION)
  -w, --warm S           warm-up seconds per build and workload ($WARM)
  -r, --rounds N         alternation rounds, at least 3 ($ROUNDS)
      --workloads "..."  subset of: $WORKLOADS
      --port N           first loopback port used ($BASE_PORT; uses N..N+50)
      --access-log FORMAT  the candidate writes an access log (access_log_format FORMAT:
                         combined or json); bench/access-log.sh runs . against . with it
EOF
}

REVS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -d|--duration) DURATION=${2%s}; shift ;;
    -w|--warm) WARM=${2%s}; shift ;;
    -r|--rounds) ROUNDS=$2; shift ;;
    --workloads) WORKLOADS=$2; shift ;;
    --port) BASE_PORT=$2; shift ;;
    --access-log) ACCESS_LOG_FORMAT=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown flag: $1" >&2; usage >&2; exit 2 ;;
    *) REVS+=("$1") ;;
  esac
  shift
done
[ ${#REVS[@]} -ge 1 ] && [ ${#REVS[@]} -le 2 ] || { usage >&2; exit 2; }
[ "$ROUNDS" -ge 3 ] || { echo "--rounds must be at least 3" >&2; exit 2; }
ORIGIN_PORT=$BASE_PORT

# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

for t in wrk nginx curl git python3; do
  command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || die "bench/ab.sh needs $t (apt-get install -y $t)"
done

PIDS=()
RUN=""
cleanup() {
  stop_started
  # The checkouts live in $RUN; pruning then forgets them in the repository too.
  [ -n "$RUN" ] && rm -rf "$RUN" && git -C "$ROOT" worktree prune
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tree_of REV: a checkout of REV to build and run (its bin/opencache builds its own jar).
tree_of() {
  [ "$1" = . ] && { echo "$ROOT"; return; }
  local tree="$RUN/src-$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_')"
  git -C "$ROOT" worktree add --detach --quiet "$tree" "$1" >&2 || die "no such revision: $1"
  echo "$tree"
}

# start_build NAME TREE PORT_OFFSET: sets NAME_PID and NAME_PORT
start_build() {
  OC_NAME=$1 OC_ROOT=$2
  OC_CONTROLLER_PORT=$((BASE_PORT + $3)) OC_NOTIFY_PORT=$((BASE_PORT + $3 + 1))
  OC_NODE_PORT=$((BASE_PORT + $3 + 2)) OC_FIRST_INSTANCE_PORT=$((BASE_PORT + $3 + 3))
  log "starting $1 from $2 (builds its jar first if needed)"
  start_opencache
  printf -v "${1}_PID" '%s' "$OC_PID"
  printf -v "${1}_PORT" '%s' "$OC_PORT"
}

# once NAME WORKLOAD SECONDS: prints "rps p99us cpu_us_per_request"
once() {
  local pid_var="${1}_PID" port_var="${1}_PORT" t0 t1 result
  t0=$(process_ticks "${!pid_var}")
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${3}s" --timeout 5s -s "$BENCH/lib/report.lua" \
    "http://127.0.0.1:${!port_var}/$2.bin" >"$RUN/wrk.out" 2>&1 || { cat "$RUN/wrk.out" >&2; die "wrk failed"; }
  t1=$(process_ticks "${!pid_var}")
  result=$(sed -n 's/^RESULT //p' "$RUN/wrk.out")
  # RESULT is "rps p50us p99us errors requests"
  echo "$result" | awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" '{printf "%s %s %.2f\n", $1, $3, $5 ? t * 1e6 / hz / $5 : 0}'
}

main() {
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-ab.XXXXXX")
  local base_tree cand_tree cand_label
  base_tree=$(tree_of "${REVS[0]}")
  if [ ${#REVS[@]} -eq 2 ]; then cand_tree=$(tree_of "${REVS[1]}"); cand_label=${REVS[1]}; else cand_tree=$ROOT; cand_label="working tree"; fi
  make_content
  start_origin
  start_build base "$base_tree" 20
  if [ -n "$ACCESS_LOG_FORMAT" ]; then
    cand_label="$cand_label + access_log ($ACCESS_LOG_FORMAT)"
    OC_EXTRA_CONF=$(printf 'access_log = %s\naccess_log_format = %s' "$RUN/cand/access.log" "$ACCESS_LOG_FORMAT")
  fi
  start_build cand "$cand_tree" 40
  OC_EXTRA_CONF=""
  local w r b
  for w in $WORKLOADS; do
    for b in base cand; do log "$w: warming $b (${WARM}s)"; once "$b" "$w" "$WARM" >/dev/null; done
    for ((r = 1; r <= ROUNDS; r++)); do
      for b in base cand; do
        echo "$w $b $(once "$b" "$w" "$DURATION")" | tee -a "$RUN/results.txt" | sed "s/^/[$(date +%T)] /" >&2
      done
    done
  done
  python3 - "$RUN/results.txt" "${REVS[0]}" "$cand_label" \
    "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, warm ${WARM}s" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"OpenCache {sys.argv[3]} (candidate) vs {sys.argv[2]} (base) -- {sys.argv[4]}; medians")
print("| workload | build | req/s | p99 ms | CPU us/req | candidate/base req/s | candidate/base CPU |")
print("|---|---|---:|---:|---:|---:|---:|")
for w in dict.fromkeys(r[0] for r in rows):
    med = {b: [statistics.median(float(r[i]) for r in rows if r[0] == w and r[1] == b) for i in (2, 3, 4)]
           for b in ("base", "cand")}
    for b in ("base", "cand"):
        rps, p99, cpu = med[b]
        ratios = f"{med['cand'][0] / med['base'][0]:.3f} | {med['cand'][2] / med['base'][2]:.3f}" if b == "cand" else " | "
        print(f"| {w} | {b} | {rps:.0f} | {p99 / 1000:.2f} | {cpu:.2f} | {ratios} |")
EOF
  if [ -n "$ACCESS_LOG_FORMAT" ]; then
    # Lines the candidate could not write would make its access log look cheaper than it is.
    sleep 1
    echo "candidate's access log: $(wc -l <"$RUN/cand/access.log") lines;" \
      "$(curl -sS "http://127.0.0.1:$((BASE_PORT + 42))/metrics" | grep '^opencache_access_log_dropped_total')"
    echo "last line: $(tail -n 1 "$RUN/cand/access.log")"
  fi
}

main
