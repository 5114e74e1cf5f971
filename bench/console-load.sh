#!/usr/bin/env bash
# The web console's first screen (docs/design.md §4 "Console") with a large fleet: a real
# controller with NODES fake nodes of INSTANCES instances each (raw ZeroMQ clients saying hello),
# and headless chromium (Debian's chromium + chromium-driver, through Selenium) opening the
# console RUNS times with a fresh profile. Prints the milliseconds from navigation to the fleet
# table drawn and the bytes transferred. Target: under 1 s with 100 x 10.
#   bench/console-load.sh [NODES [INSTANCES [RUNS]]]     (default 100 10 5)
# Compiles the modules (offline) and runs from their classes; needs chromium and chromium-driver.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
NODES="${1:-100}"
INSTANCES="${2:-10}"
RUNS="${3:-5}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "console-load: needs $tool (apt-get install -y chromium chromium-driver)" >&2; exit 2; }
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The integration module's test class path: controller, node, test-support, Selenium (never installs).
(cd "$ROOT" && mvn -B -q -o -pl integration -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=test >/dev/null)
CP="$(cat "$WORK/cp"):$ROOT/integration/target/test-classes"
"$JAVA" --sun-misc-unsafe-memory-access=allow -cp "$CP" \
  "$BENCH/console/ConsoleLoadBench.java" "$NODES" "$INSTANCES" "$RUNS" "$WORK"
