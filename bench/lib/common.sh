# Shared by bench/run.sh, ab.sh, index-heap.sh and soak.sh, sourced: logging, the nginx origin, and an OpenCache
# (standalone controller + node) with one instance in front of the origin. The caller sets RUN
# (the run directory), ROOT, ORIGIN_PORT, CACHE_SIZE_MB, ZIPF_OBJ, JFR, the OC_* ports and PIDS;
# optionally SMALL_OBJ (bytes of every /o/ object, default 100), OC_MAX_DISK_MB (default
# CACHE_SIZE_MB), OC_CONF_SED (one more sed expression for OpenCache's config) and OC_EXTRA_CONF
# (config lines added to OpenCache's, e.g. an access_log).

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Kills every process in PIDS, politely first: for the callers' EXIT traps.
stop_started() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

# Arms the EXIT trap of a script that keeps its run in $RUN: stops what it started and removes
# $RUN unless KEEP=1 (--keep). Callers set PIDS=() and RUN="" first.
remove_run_on_exit() {
  trap 'stop_started; if [ -n "$RUN" ]; then if [ "${KEEP:-0}" = 1 ]; then log "run directory kept: $RUN"; else rm -rf "$RUN"; fi; fi' EXIT
  trap 'exit 130' INT TERM
}

# process_ticks PID: user + system clock ticks used so far by PID and all its descendants (nginx's
# master and workers, Varnish's manager and child, the JVM with all its threads).
process_ticks() {
  local pids=$1 all=$1 p
  while pids=$(pgrep -d, -P "$pids"); do all="$all,$pids"; done
  # After the ")" that ends the command name, utime and stime are the 12th and 13th fields.
  for p in ${all//,/ }; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    sed 's/.*) //' | awk '{t += $12 + $13} END {print t + 0}'
}

refuse_used_ports() {  # PORT...: stops the script when something already listens on one of them
  local p
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use; pick another range with --port"; fi
  done
}

wait_http() {  # URL SECONDS: until the URL answers at all
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.2
  done
  die "$1 did not answer within $2 s"
}

# ---- the origin: nginx serving static files with Cache-Control: max-age ----
make_content() {
  mkdir -p "$RUN/www"
  head -c 1024 /dev/urandom >"$RUN/www/1k.bin"
  head -c $((100 * 1024)) /dev/urandom >"$RUN/www/100k.bin"
  head -c "$ZIPF_OBJ" /dev/urandom >"$RUN/www/z.bin"       # every /z/N is this body
  head -c $((64 * 1024)) /dev/urandom >"$RUN/www/storm.bin"
  head -c "${SMALL_OBJ:-100}" /dev/urandom >"$RUN/www/small.bin"  # every /o/ANYTHING is this body
}

nginx_common() {  # NAME: the boilerplate that keeps an nginx entirely inside $RUN/NAME
  local d="$RUN/$1"
  mkdir -p "$d/tmp"
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<EOF
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
EOF
}

nginx_temp_paths() {
  local d="$RUN/$1/tmp"
  echo "client_body_temp_path $d/body; proxy_temp_path $d/proxy; fastcgi_temp_path $d/fcgi;"
  echo "uwsgi_temp_path $d/uwsgi; scgi_temp_path $d/scgi;"
}

start_origin() {
  # One worker: the origin is not what is measured, and it must leave the cores to the caches.
  # /slow/ is rate-limited (64 KiB at 32 KiB/s, ~2 s) so a miss storm's clients all arrive
  # while the first origin request is still in flight. The body stays small because Varnish
  # fails a fetch that must evict more than nuke_limit (50) objects from a full store.
  { nginx_common origin; cat <<EOF
worker_processes 1;
events { worker_connections 4096; }
http {
  $(nginx_temp_paths origin)
  log_format origin '\$request_uri \$status';
  access_log $RUN/origin/access.log origin buffer=64k flush=1s;
  sendfile on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$ORIGIN_PORT;
    root $RUN/www;
    add_header Cache-Control "public, max-age=3600";
    location /z/ { try_files /z.bin =404; }
    location /slow/ { limit_rate 32k; try_files /storm.bin =404; }
    location /o/ { try_files /small.bin =404; }
  }
}
EOF
  } >"$RUN/origin.conf"
  nginx -p "$RUN/origin" -e "$RUN/origin/error.log" -c "$RUN/origin.conf" &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$ORIGIN_PORT/1k.bin" 10
}

# ---- OpenCache: OC_ROOT (default ROOT) says which build, OC_NAME (default opencache) its directory ----
rpc() {  # METHOD [PARAMS_JSON]
  curl -sS --max-time 10 -H 'Content-Type: application/json' \
    --data-binary "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-{\}}}" \
    "http://127.0.0.1:$OC_CONTROLLER_PORT/"
}

start_opencache() {
  local name=${OC_NAME:-opencache} root=${OC_ROOT:-$ROOT}
  # The quick start's config with this run's own directories, ports and cache bounds:
  # max_disk bounds the whole store (the memory tier is a copy of its hottest part), so both
  # get the bound the peers get.
  sed -e "s#^controller_port = .*#controller_port = $OC_CONTROLLER_PORT#" \
      -e "s#^notification_port = .*#notification_port = $OC_NOTIFY_PORT#" \
      -e "s#^node_port = .*#node_port = $OC_NODE_PORT#" \
      -e "s#^port_range = .*#port_range = $OC_FIRST_INSTANCE_PORT,$((OC_FIRST_INSTANCE_PORT + 5))#" \
      -e "s#^data_path = .*#data_path = $RUN/$name/db#" \
      -e "s#^cache_path = .*#cache_path = $RUN/$name/cache/#" \
      -e "s#^max_cache_size = .*#max_cache_size = ${CACHE_SIZE_MB}MB#" \
      -e "s#^max_disk = .*#max_disk = ${OC_MAX_DISK_MB:-$CACHE_SIZE_MB}MB#" \
      -e "s#^alert_load = .*#alert_load = 10000000#" \
      -e "s#^stat_refresh = .*#stat_refresh = 5s#" \
      ${OC_CONF_SED:+-e "$OC_CONF_SED"} \
      "$root/examples/config/standalone.conf" >"$RUN/$name.conf"
  echo "log_path = $RUN/$name/" >>"$RUN/$name.conf"
  local line
  while IFS= read -r line; do                # each "key = value" replaces the sample's own line
    [ -n "$line" ] || continue
    sed -i "/^${line%% =*} = /d" "$RUN/$name.conf"
    printf '%s\n' "$line" >>"$RUN/$name.conf"
  done <<<"${OC_EXTRA_CONF:-}"
  mkdir -p "$RUN/$name"
  local opts="${JDK_JAVA_OPTIONS:-}"
  [ "$JFR" = 1 ] && opts="$opts -XX:StartFlightRecording=filename=$RUN/opencache.jfr,settings=profile,dumponexit=true"
  # bin/opencache builds the jar first if needed, then execs java: $! becomes the JVM's pid.
  JDK_JAVA_OPTIONS="$opts" "$root/bin/opencache" --controller --node --config "$RUN/$name.conf" \
    >"$RUN/$name/stdout.log" 2>&1 &
  OC_PID=$!
  PIDS+=("$OC_PID")
  local i nodes
  for ((i = 0; i < 600; i++)); do          # first use may build the jar: allow 5 minutes
    nodes=$(rpc nodes 2>/dev/null || true)
    case "$nodes" in *'"status":"up"'*) break ;; esac
    kill -0 "$OC_PID" 2>/dev/null || die "OpenCache exited; see $RUN/$name/stdout.log"
    sleep 0.5
  done
  case "$nodes" in *'"status":"up"'*) ;; *) die "OpenCache node not up: $nodes" ;; esac
  rpc start "{\"expr\":\"127.0.0.1:$ORIGIN_PORT\"}" >/dev/null
  for ((i = 0; i < 50; i++)); do
    OC_PORT=$(rpc nodes | python3 -c 'import json,sys
for n in json.load(sys.stdin)["result"]:
    for inst in n["instances"]:
        if inst.get("port"): print(inst["port"]); sys.exit()' || true)
    [ -n "$OC_PORT" ] && break
    sleep 0.2
  done
  [ -n "$OC_PORT" ] || die "no OpenCache instance port"
  wait_http "http://127.0.0.1:$OC_PORT/1k.bin" 10
}

rss_now() { awk '/^VmRSS/ {print $2}' "/proc/$OC_PID/status"; }  # OpenCache's resident set, kB

# node_counts: "hits misses" so far over all the node's instances, from its /status (live
# counters, unlike the controller's stat, which a refresh updates).
node_counts() {
  curl -sS --max-time 10 "http://127.0.0.1:$OC_NODE_PORT/status" | python3 -c 'import json,sys
inst = json.load(sys.stdin)["instances"]
print(sum(i["cache_hit"] for i in inst), sum(i["cache_miss"] for i in inst))'
}
