#!/usr/bin/env bash
# Command round trip over the node link with CURVE off and on (docs/design.md §5): one JVM, both
# ends on loopback, the controller sending `stat` commands to a node and waiting for each
# acknowledgement; the two modes alternate by rounds. Prints p50/p90/p99 per mode and the
# curve/plain ratios. Builds the jar when it is missing (as bin/opencache does).
#   bench/link-curve.sh [ROUNDS [CALLS_PER_ROUND]]    (default 6 rounds of 200 calls per mode)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
ROUNDS="${1:-6}"
CALLS="${2:-200}"
JAR="$ROOT/dist/target/opencache.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q -o -pl dist -am package -DskipTests)
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$JAR:$ROOT/dist/target/lib/*" \
  "$BENCH/link/LinkCurveBench.java" "$ROUNDS" "$CALLS" "$WORK"
