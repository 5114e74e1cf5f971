#!/usr/bin/env bash
# OpenCache vs nginx proxy_cache vs Varnish, measured side by side in one run (issue 6).
#
# Starts an nginx origin and the three caches in front of it on loopback, all under one temp
# directory, warms each cache, then measures them in alternation (A, B, C, A, B, C ...) so that
# background load on a shared machine hits every cache alike; prints medians and ratios.
# Installs nothing: see bench/README.md. Run `bench/run.sh --help` for the flags.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

# ---- flags (defaults give a run of about 4 minutes) ----
THREADS=2          # wrk threads
CONNECTIONS=50     # wrk connections
DURATION=5         # seconds per measured wrk run
WARM=5             # seconds of wrk warm-up per cache and workload (JIT, connection pools)
ROUNDS=3           # measured rounds; each round runs every cache once
CACHE_SIZE_MB=8    # every cache's byte bound (smaller than the Zipf set)
ZIPF_URLS=10000
ZIPF_S=1.0
ZIPF_OBJ=3072      # bytes per Zipf object: 10 000 x 3 KiB = 30 MiB set
STORM_CLIENTS=100
WORKLOADS="1k 100k zipf storm"
KEEP=0             # keep the temp directory
JFR=0              # record a JFR profile of OpenCache
CLK_TCK=$(getconf CLK_TCK)
BASE_PORT=18080    # origin; caches on the next ports; OpenCache controller etc. on +20..

usage() {
  cat <<EOF
usage: bench/run.sh [flags]
  -t, --threads N        wrk threads ($THREADS)
  -c, --connections N    wrk connections ($CONNECTIONS)
  -d, --duration S       seconds per measured run ($DURATION)
  -w, --warm S           warm-up seconds per cache and workload ($WARM)
  -r, --rounds N         alternation rounds, at least 3 ($ROUNDS)
      --cache-mb N       byte bound of every cache in MiB ($CACHE_SIZE_MB)
      --zipf-s X         Zipf exponent ($ZIPF_S)
      --workloads "..."  subset of: $WORKLOADS
      --port N           first loopback port used ($BASE_PORT; uses N..N+30)
      --jfr              record a JFR profile of OpenCache (opencache.jfr in the run dir)
      --keep             keep the run directory (logs, configs, raw results)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -t|--threads) THREADS=$2; shift ;;
    -c|--connections) CONNECTIONS=$2; shift ;;
    -d|--duration) DURATION=${2%s}; shift ;;
    -w|--warm) WARM=${2%s}; shift ;;
    -r|--rounds) ROUNDS=$2; shift ;;
    --cache-mb) CACHE_SIZE_MB=$2; shift ;;
    --zipf-s) ZIPF_S=$2; shift ;;
    --workloads) WORKLOADS=$2; shift ;;
    --port) BASE_PORT=$2; shift ;;
    --jfr) JFR=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown flag: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$ROUNDS" -ge 3 ] || { echo "--rounds must be at least 3" >&2; exit 2; }

ORIGIN_PORT=$BASE_PORT
NGINX_PORT=$((BASE_PORT + 1))
VARNISH_PORT=$((BASE_PORT + 2))
OC_CONTROLLER_PORT=$((BASE_PORT + 20))
OC_NOTIFY_PORT=$((BASE_PORT + 21))
OC_NODE_PORT=$((BASE_PORT + 22))
OC_FIRST_INSTANCE_PORT=$((BASE_PORT + 23))
CACHE_BYTES=$((CACHE_SIZE_MB << 20))
CACHES="opencache nginx varnish"

# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

# ---- prerequisites: say what is missing and how to get it, install nothing ----
check_tools() {
  local missing=() pkgs=() t
  for t in wrk:wrk nginx:nginx varnishd:varnish varnishstat:varnish curl:curl python3:python3 pgrep:procps; do
    if ! command -v "${t%%:*}" >/dev/null 2>&1 && ! [ -x "/usr/sbin/${t%%:*}" ]; then
      missing+=("${t%%:*}"); pkgs+=("${t##*:}")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench/run.sh needs: ${missing[*]}" >&2
    echo "install them with: apt-get install -y $(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')" >&2
    echo "(the packages' system services are not used; this script starts its own instances)" >&2
    exit 1
  fi
  refuse_used_ports "$ORIGIN_PORT" "$NGINX_PORT" "$VARNISH_PORT" "$OC_CONTROLLER_PORT" "$OC_NOTIFY_PORT" "$OC_NODE_PORT"
}

# ---- process bookkeeping: everything we start is killed on exit, by pid ----
PIDS=()
RUN=""
remove_run_on_exit

# ---- cache 1: nginx proxy_cache with usual production settings ----
start_nginx() {
  # proxy_cache_lock is not nginx's default but is what production configs set against miss
  # storms; keepalive_requests is raised so nginx is not handicapped by reconnects.
  # Only /z/ requests are logged: $upstream_cache_status gives its Zipf hit ratio.
  { nginx_common nginx; cat <<EOF
worker_processes auto;
events { worker_connections 4096; multi_accept on; }
http {
  $(nginx_temp_paths nginx)
  sendfile on;
  # tcp_nopush (TCP_CORK) is in many production configs, but on loopback it stalls every
  # 100 KiB response by ~40 ms (1.5k instead of 13k requests/s here): left off, not to
  # handicap nginx.
  tcp_nopush off;
  keepalive_requests 1000000;
  map \$uri \$zipf { ~^/z/ 1; default 0; }
  log_format cache '\$upstream_cache_status';
  access_log $RUN/nginx/zipf.log cache buffer=256k flush=1s if=\$zipf;
  proxy_cache_path $RUN/nginx/cache levels=1:2 keys_zone=bench:32m max_size=${CACHE_SIZE_MB}m inactive=1h use_temp_path=off;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache bench;
      proxy_cache_lock on;
      proxy_cache_use_stale updating;
      add_header X-Cache-Status \$upstream_cache_status;
    }
  }
}
EOF
  } >"$RUN/nginx.conf"
  nginx -p "$RUN/nginx" -e "$RUN/nginx/error.log" -c "$RUN/nginx.conf" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$NGINX_PORT/1k.bin" 10
}

# ---- cache 2: Varnish, malloc storage, a minimal VCL (the built-in VCL does the rest) ----
start_varnish() {
  cat >"$RUN/varnish.vcl" <<EOF
vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "$ORIGIN_PORT"; }
EOF
  chmod 755 "$RUN"; chmod 644 "$RUN/varnish.vcl"   # varnishd drops to its own user as root
  varnishd -F -n "$RUN/varnish" -a "127.0.0.1:$VARNISH_PORT" -T "127.0.0.1:$((BASE_PORT + 3))" \
    -f "$RUN/varnish.vcl" -s "malloc,${CACHE_SIZE_MB}m" >"$RUN/varnish.log" 2>&1 &
  VARNISH_PID=$!
  PIDS+=("$VARNISH_PID")
  wait_http "http://127.0.0.1:$VARNISH_PORT/1k.bin" 20
}

varnish_counter() {  # NAME: a MAIN counter of this run's varnishd
  varnishstat -n "$RUN/varnish" -1 -f "MAIN.$1" | awk '{print $2}'
}

# ---- cache 3: OpenCache, standalone controller + node, instance started over JSON-RPC ----
OC_PID=""
OC_PORT=""
NGINX_PID=""
VARNISH_PID=""
opencache_counts() {  # prints "hits misses" from the controller's stat, after a refresh
  rpc refresh >/dev/null
  sleep 1.5
  rpc stat | python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; print(r["cache_hit"], r["cache_miss"])'
}

# The JVM's resident set, sampled every second for the whole run.
sample_rss() {
  while kill -0 "$OC_PID" 2>/dev/null; do
    awk -v t="$(date +%s)" '/^VmRSS/ {print t, $2}' "/proc/$OC_PID/status" 2>/dev/null >>"$RUN/rss.log" || true
    sleep 1
  done
}

port_of() {
  case "$1" in opencache) echo "$OC_PORT" ;; nginx) echo "$NGINX_PORT" ;; varnish) echo "$VARNISH_PORT" ;; esac
}

# cpu_ticks CACHE: user + system clock ticks used so far by the cache's processes.
cpu_ticks() {
  case "$1" in
    opencache) process_ticks "$OC_PID" ;; nginx) process_ticks "$NGINX_PID" ;; varnish) process_ticks "$VARNISH_PID" ;;
  esac
}

# ---- measuring ----
# wrk_once CACHE WORKLOAD SECONDS: prints "rps p50us p99us errors requests cpu_us_per_request"
wrk_once() {
  local port path script
  port=$(port_of "$1")
  case "$2" in
    1k) path=/1k.bin; script="$BENCH/lib/report.lua" ;;
    100k) path=/100k.bin; script="$BENCH/lib/report.lua" ;;
    zipf) path=/; script="$BENCH/lib/zipf.lua" ;;
  esac
  local ticks_before ticks_after result
  ticks_before=$(cpu_ticks "$1")
  BENCH_LIB="$BENCH/lib" ZIPF_SEQ="$RUN/zipf.seq" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${3}s" --timeout 5s -s "$script" \
    "http://127.0.0.1:$port$path" >"$RUN/wrk.out" 2>&1 || { cat "$RUN/wrk.out" >&2; die "wrk failed"; }
  ticks_after=$(cpu_ticks "$1")
  result=$(sed -n 's/^RESULT //p' "$RUN/wrk.out")
  # The cache's own CPU time per request, in microseconds (wrk and the origin not counted);
  # the last value of the RESULT line is the number of requests.
  echo "$result $(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLK_TCK" -v n="${result##* }" \
    'BEGIN {printf "%.1f", n ? t * 1e6 / hz / n : 0}')"
}

measure() {  # WORKLOAD: warm every cache, then ROUNDS rounds in alternation
  local w=$1 c r res
  for c in $CACHES; do
    log "$w: warming $c (${WARM}s)"
    wrk_once "$c" "$w" "$WARM" >/dev/null
  done
  if [ "$w" = zipf ]; then
    zipf_counters_before
    # nginx enforces max_size from a background cache manager: watch how far it overshoots.
    (while :; do find "$RUN/nginx/cache" -type f | wc -l; sleep 2; done >"$RUN/nginx_files.txt") &
    NGINX_WATCH=$!
    PIDS+=("$NGINX_WATCH")
  fi
  for ((r = 1; r <= ROUNDS; r++)); do
    for c in $CACHES; do
      res=$(wrk_once "$c" "$w" "$DURATION")
      log "$w round $r $c: $res"
      echo "$w $c $r $res" >>"$RUN/results.txt"
    done
  done
  if [ "$w" = zipf ]; then
    kill "$NGINX_WATCH" 2>/dev/null || true
    zipf_counters_after
  fi
  echo "$w $(rss_now)" >>"$RUN/rss_after.txt"
}

# Hit ratios over the measured Zipf rounds only, from each cache's own counters.
zipf_counters_before() {
  sleep 1.5                                           # nginx flushes its log every second
  NGINX_Z0=$(wc -l <"$RUN/nginx/zipf.log" 2>/dev/null || echo 0)
  VARNISH_H0=$(varnish_counter cache_hit); VARNISH_M0=$(varnish_counter cache_miss)
  read -r OC_H0 OC_M0 < <(opencache_counts)
}

zipf_counters_after() {
  sleep 1.5
  local nginx_ratio varnish_ratio oc_ratio vh vm oh om lru
  nginx_ratio=$(tail -n +"$((NGINX_Z0 + 1))" "$RUN/nginx/zipf.log" |
    awk '{n++; if ($1 == "HIT") h++} END {printf "%.4f", n ? h / n : 0}')
  vh=$(varnish_counter cache_hit); vm=$(varnish_counter cache_miss)
  varnish_ratio=$(awk -v h=$((vh - VARNISH_H0)) -v m=$((vm - VARNISH_M0)) 'BEGIN {printf "%.4f", h / (h + m)}')
  read -r oh om < <(opencache_counts)
  oc_ratio=$(awk -v h=$((oh - OC_H0)) -v m=$((om - OC_M0)) 'BEGIN {printf "%.4f", h / (h + m)}')
  lru=$(python3 "$BENCH/lib/zipf.py" lru "$RUN/zipf.seq" "$CACHE_BYTES" "$ZIPF_OBJ" 100000)
  printf 'opencache %s\nnginx %s\nvarnish %s\nlru %s\n' "$oc_ratio" "$nginx_ratio" "$varnish_ratio" "$lru" \
    >"$RUN/zipf_hits.txt"
}

# Miss storm: STORM_CLIENTS clients ask one cold URL at once; the origin's log says how many
# requests reached it. A fresh URL per cache and round keeps it cold.
storm() {
  local r c port url args i n codes
  for ((r = 1; r <= ROUNDS; r++)); do
    for c in $CACHES; do
      port=$(port_of "$c")
      url="http://127.0.0.1:$port/slow/$c-$r.bin"
      args=()
      for ((i = 0; i < STORM_CLIENTS; i++)); do args+=(-o /dev/null "$url"); done
      # curl's exit status is not fatal: the status codes printed say what the clients got.
      codes=$( (curl -s --parallel --parallel-immediate --parallel-max "$STORM_CLIENTS" \
        -w '%{http_code}\n' "${args[@]}" 2>/dev/null || true) | sort | uniq -c | tr -s ' \n' ' ')
      sleep 1.5                                       # origin log flush
      n=$(grep -c "^/slow/$c-$r.bin " "$RUN/origin/access.log" || true)
      log "storm round $r $c: $n origin request(s); client statuses:$codes"
      echo "$c $r $n" >>"$RUN/storm.txt"
    done
  done
}

main() {
  check_tools
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-bench.XXXXXX")
  log "run directory $RUN; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RUN/load_start.txt"
  make_content
  python3 "$BENCH/lib/zipf.py" gen "$ZIPF_URLS" "$ZIPF_S" 500000 42 >"$RUN/zipf.seq"
  mkdir -p "$RUN/origin" "$RUN/nginx"
  start_origin
  start_nginx
  start_varnish
  start_opencache
  log "caches up: opencache :$OC_PORT (pid $OC_PID), nginx :$NGINX_PORT, varnish :$VARNISH_PORT"
  sample_rss &
  PIDS+=($!)
  local w
  for w in $WORKLOADS; do
    case "$w" in
      1k|100k|zipf) measure "$w" ;;
      storm) storm ;;
      *) die "unknown workload $w" ;;
    esac
  done
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RUN/load_end.txt"
  if [ "$JFR" = 1 ]; then
    "$(dirname "$(readlink "/proc/$OC_PID/exe")")/jcmd" "$OC_PID" JFR.dump filename="$RUN/opencache.jfr" >/dev/null
    log "JFR profile: $RUN/opencache.jfr (jfr print --events jdk.ExecutionSample ...)"
  fi
  python3 "$BENCH/lib/summary.py" "$RUN" "$CACHE_SIZE_MB" \
    "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, warm ${WARM}s"
}

main
