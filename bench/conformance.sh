#!/usr/bin/env bash
# The public HTTP cache conformance suite (npm package http-cache-tests, the suite behind
# cache-tests.fyi) against OpenCache: the suite's origin server on loopback, an OpenCache
# (controller + node, embedded database, through bin/opencache) with one instance whose expression
# names that server (127.0.0.1:PORT, which the instance may then reach: docs/design.md §6, "Origin
# addresses"), and the suite's command-line client sending every test's requests to the instance
# port, as the published reverse proxies were tested. Prints, per test kind (required, optimal,
# check), the tests OpenCache passed next to the counts of the results the package publishes for
# the shared caches (nginx, Squid, ATS, httpd, Varnish, nuster, Fastly; browsers left out), and
# writes OUT.json (OpenCache's results, the suite's format) and OUT-failing.txt (the tests not
# passed, by test file). --peers also runs the suite against this machine's nginx and Varnish,
# configured as caching reverse proxies in front of the same server.
#
# The package is installed with npm (the registry) into --cache-dir, outside the repository, on
# first use; nothing is downloaded at build time. OC_ROOT=DIR tests another checkout's build (its
# bin/opencache; bench/lib/common.sh), e.g. a branch's worktree, with this script.
#
#   bench/conformance.sh [--out PREFIX] [--peers] [--id ID[,ID...]] [--port N] [--cache-dir DIR] [--keep]
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

SUITE_VERSION=0.4.5   # the results the package publishes were taken with this version's tests
CACHE_DIR=/var/tmp/opencache-conformance
OUT="$BENCH/results/$(date -u +%F)-conformance"
BASE_PORT=18580
PEERS=0
TEST_ID=""
KEEP=0
CACHE_SIZE_MB=64
JFR=0

usage() {
  cat <<EOF
usage: bench/conformance.sh [options]
      --out PREFIX       writes PREFIX.json and PREFIX-failing.txt ($OUT)
      --peers            also run the suite against nginx and Varnish (OS packages) on this machine
      --id ID[,ID...]    run these tests against OpenCache and show their requests and responses
      --port N           the suite server's port; the others follow from it ($BASE_PORT)
      --cache-dir DIR    where npm installs http-cache-tests@$SUITE_VERSION ($CACHE_DIR)
      --keep             keep the run directory (configs, logs, the peers' results)
EOF
}

ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift ;;
    --peers) PEERS=1 ;;
    --id) TEST_ID=$2; shift ;;
    --port) BASE_PORT=$2; shift ;;
    --cache-dir) CACHE_DIR=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

ORIGIN_PORT=$BASE_PORT               # the suite's server
NGINX_PORT=$((BASE_PORT + 1))
VARNISH_PORT=$((BASE_PORT + 2))
OC_CONTROLLER_PORT=$((BASE_PORT + 20))
OC_NOTIFY_PORT=$((BASE_PORT + 21))
OC_NODE_PORT=$((BASE_PORT + 22))
OC_FIRST_INSTANCE_PORT=$((BASE_PORT + 23))
PKG="$CACHE_DIR/node_modules/http-cache-tests"

PIDS=()
RUN=""
remove_run_on_exit

need="node npm curl python3"
[ "$PEERS" = 1 ] && need="$need nginx varnishd"
for t in $need; do command -v "$t" >/dev/null || die "needs $t"; done
refuse_used_ports "$ORIGIN_PORT" "$OC_CONTROLLER_PORT" "$OC_NOTIFY_PORT" "$OC_NODE_PORT"
[ "$PEERS" = 1 ] && refuse_used_ports "$NGINX_PORT" "$VARNISH_PORT" "$((BASE_PORT + 3))"

install_suite() {
  if [ "$(node -p "require('$PKG/package.json').version" 2>/dev/null)" = "$SUITE_VERSION" ]; then return; fi
  log "installing http-cache-tests@$SUITE_VERSION into $CACHE_DIR (npm)"
  mkdir -p "$CACHE_DIR"
  npm install --prefix "$CACHE_DIR" --no-audit --no-fund --omit=dev --no-package-lock \
    "http-cache-tests@$SUITE_VERSION" >"$CACHE_DIR/npm-install.log" 2>&1 ||
    die "npm install failed; see $CACHE_DIR/npm-install.log"
}

# The suite's server (server/server.mjs reads its settings as npm passes them, npm_config_*).
start_suite_server() {
  (cd "$PKG" && exec env npm_config_port="$ORIGIN_PORT" npm_config_protocol=http \
    npm_config_pidfile="$RUN/suite-server.pid" node server/server.mjs) >"$RUN/suite-server.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$ORIGIN_PORT/" 10
}

# run_client BASE_URL OUT_JSON [TEST_ID]: the suite's client, as `npm run cli` runs it.
run_client() {
  (cd "$PKG" && exec env npm_config_base="$1" npm_config_id="${3:-}" npm_package_config_id="" \
    node --no-warnings cli.mjs) >"$2" 2>"$2.stderr"
}

# ---- peers: the OS's nginx and Varnish as caching reverse proxies of the suite's server ----
start_nginx() {
  mkdir -p "$RUN/nginx"
  # proxy_cache stores only what the origin marks cacheable (no proxy_cache_valid); revalidating
  # with the stored validators is not its default but what the published nginx results show.
  { nginx_common nginx; cat <<EOF
worker_processes 1;
events { worker_connections 1024; }
http {
  $(nginx_temp_paths nginx)
  access_log off;
  proxy_cache_path $RUN/nginx/cache levels=1:2 keys_zone=conformance:8m max_size=${CACHE_SIZE_MB}m;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://127.0.0.1:$ORIGIN_PORT;
      proxy_cache conformance;
      proxy_cache_revalidate on;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  } >"$RUN/nginx.conf"
  nginx -p "$RUN/nginx" -e "$RUN/nginx/error.log" -c "$RUN/nginx.conf" &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$NGINX_PORT/" 10
}

start_varnish() {
  # Varnish's built-in VCL with the suite's server as backend, without its default caching
  # (default_ttl 120 s for responses that state no freshness), as the suite's README asks.
  printf 'vcl 4.1;\nbackend suite { .host = "127.0.0.1"; .port = "%s"; }\n' "$ORIGIN_PORT" >"$RUN/varnish.vcl"
  chmod 755 "$RUN"; chmod 644 "$RUN/varnish.vcl"   # varnishd drops to its own user as root
  varnishd -F -n "$RUN/varnish" -a "127.0.0.1:$VARNISH_PORT" -T "127.0.0.1:$((BASE_PORT + 3))" \
    -f "$RUN/varnish.vcl" -s "malloc,${CACHE_SIZE_MB}m" -p default_ttl=0 >"$RUN/varnish.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$VARNISH_PORT/" 20
}

main() {
  install_suite
  RUN=$(mktemp -d "${TMPDIR:-/tmp}/opencache-conformance.XXXXXX")
  echo "# bench/conformance.sh${ARGS:+ $ARGS}, $(date -u +%FT%TZ), commit $(git -C "${OC_ROOT:-$ROOT}" rev-parse --short HEAD)${OC_ROOT:+ in $OC_ROOT}, http-cache-tests $SUITE_VERSION, node $(node --version)"
  log "run directory $RUN"
  start_suite_server
  start_opencache
  log "OpenCache pid $OC_PID, instance :$OC_PORT in front of the suite's server :$ORIGIN_PORT"

  if [ -n "$TEST_ID" ]; then
    local id
    for id in ${TEST_ID//,/ }; do
      run_client "http://127.0.0.1:$OC_PORT" "$RUN/one.out" "$id" || true
      cat "$RUN/one.out" "$RUN/one.out.stderr"
    done
    return
  fi

  local started=$SECONDS
  run_client "http://127.0.0.1:$OC_PORT" "$RUN/opencache.json" || die "the suite's client failed: $(cat "$RUN/opencache.json.stderr")"
  node -e "JSON.parse(require('fs').readFileSync('$RUN/opencache.json', 'utf8'))" 2>/dev/null ||
    die "the suite's client wrote no results: $(head -c 2000 "$RUN/opencache.json.stderr")"
  log "OpenCache: suite ran in $((SECONDS - started)) s"
  mkdir -p "$(dirname "$OUT")"
  cp "$RUN/opencache.json" "$OUT.json"

  local sets=("OpenCache=$OUT.json")
  if [ "$PEERS" = 1 ]; then
    start_nginx
    start_varnish
    local v_nginx v_varnish
    v_nginx=$(nginx -v 2>&1 | sed 's#.*/##')
    v_varnish=$(varnishd -V 2>&1 | sed -n 's/.*varnish-\([0-9.]*\).*/\1/p' | head -1)
    run_client "http://127.0.0.1:$NGINX_PORT" "$RUN/nginx.json" || die "client against nginx failed"
    run_client "http://127.0.0.1:$VARNISH_PORT" "$RUN/varnish.json" || die "client against Varnish failed"
    sets+=("nginx $v_nginx (here)=$RUN/nginx.json" "Varnish $v_varnish (here)=$RUN/varnish.json")
  fi
  node "$BENCH/lib/conformance_summary.mjs" "$PKG" "$OUT-failing.txt" "${sets[@]}"
  echo "results: $OUT.json; not passed: $OUT-failing.txt"
}

main
