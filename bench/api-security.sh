#!/usr/bin/env bash
# What securing the API costs a call: one controller started three ways in turn — plain HTTP
# without tokens, HTTPS with a bearer token, plain HTTP with an OpenCache-HMAC signature per
# request (docs/design.md §4) — and N sequential `stat` calls to each over one keep-alive
# connection. Prints p50/p99/mean latency per mode and the ratios to plain.
#   bench/api-security.sh [CALLS]        (default 2000, after 300 warm-up calls)
# Needs python3 and openssl; builds dist/target/opencache.jar through bin/opencache if missing.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
CALLS="${1:-2000}"
WARM=300
PORT="${API_BENCH_PORT:-49101}"
WORK="$(mktemp -d)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A CA and a server certificate for 127.0.0.1, with a PKCS#8 key (OpenSSL 3 writes BEGIN PRIVATE KEY).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=bench-ca \
  -keyout "$WORK/ca.key" -out "$WORK/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout "$WORK/api.key" -out "$WORK/api.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$WORK/san.ext"
openssl x509 -req -in "$WORK/api.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
  -extfile "$WORK/san.ext" -out "$WORK/api.crt" 2>/dev/null
SECRET="$(openssl rand -hex 32)"
printf 'bench admin %s\n' "$SECRET" > "$WORK/tokens"

config() { # NAME EXTRA_LINES
  printf '[config]\ncontroller_host = 127.0.0.1\ncontroller_port = %s\nnotification_port = %s\ndata_path = %s/db-%s\nverbosity = 2\n%s\n' \
    "$PORT" "$((PORT + 1))" "$WORK" "$1" "$2" > "$WORK/$1.conf"
}
config plain ""
config tls "api_tls_cert = $WORK/api.crt
api_tls_key = $WORK/api.key
api_tokens_file = $WORK/tokens"
config hmac "api_tokens_file = $WORK/tokens"

measure() { # MODE
  python3 - "$1" "$PORT" "$SECRET" "$WORK/ca.crt" "$CALLS" "$WARM" <<'PY'
import hashlib, hmac, http.client, json, ssl, statistics, sys, time
mode, port, secret, ca, calls, warm = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
if mode == "tls":
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ssl.create_default_context(cafile=ca))
else:
    conn = http.client.HTTPConnection("127.0.0.1", port)
times = []
for i in range(warm + calls):
    body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "stat"}).encode()
    headers = {"Content-Type": "application/json"}
    if mode == "tls":
        headers["Authorization"] = "Bearer " + secret
    elif mode == "hmac":
        ts = str(int(time.time()))
        sig = hmac.new(secret.encode(), ts.encode() + b"\n" + body, hashlib.sha256).hexdigest()
        headers["Authorization"] = "OpenCache-HMAC name=bench, ts=%s, sig=%s" % (ts, sig)
    start = time.perf_counter_ns()
    conn.request("POST", "/", body, headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter_ns() - start
    if response.status != 200 or b'"result"' not in data:
        sys.exit("%s: call %d got HTTP %d: %s" % (mode, i, response.status, data[:200]))
    if i >= warm:
        times.append(elapsed / 1000.0)
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("%s %.1f %.1f %.1f" % (mode, p(0.50), p(0.99), statistics.mean(times)))
PY
}

[ -f "$ROOT/dist/target/opencache.jar" ] || "$ROOT/bin/opencache" --version >/dev/null
RESULTS="$WORK/results"
for mode in plain tls hmac; do
  "$ROOT/bin/opencache" --controller --config "$WORK/$mode.conf" >"$WORK/$mode.log" 2>&1 &
  PID=$!
  scheme=http; [ "$mode" = tls ] && scheme=https
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null --cacert "$WORK/ca.crt" -H "Authorization: Bearer $SECRET" \
        -d '{"jsonrpc":"2.0","id":0,"method":"nodes"}' "$scheme://127.0.0.1:$PORT/"; then break; fi
    sleep 0.1
  done
  # The database connects in the background: wait until nodes answers with a result.
  for _ in $(seq 1 300); do
    if curl -s --cacert "$WORK/ca.crt" -H "Authorization: Bearer $SECRET" \
        -d '{"jsonrpc":"2.0","id":0,"method":"nodes"}' "$scheme://127.0.0.1:$PORT/" | grep -q '"result"'; then break; fi
    sleep 0.1
  done
  measure "$mode" >> "$RESULTS"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done

echo "stat latency over $CALLS sequential keep-alive calls (after $WARM warm-up), microseconds"
awk 'NR==1 {p50=$2; p99=$3; mean=$4}
     {printf "%-6s p50 %8.1f  p99 %8.1f  mean %8.1f   ratio to plain: p50 %.2f  p99 %.2f  mean %.2f\n",
             $1, $2, $3, $4, $2/p50, $3/p99, $4/mean}' "$RESULTS"
