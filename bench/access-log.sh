#!/usr/bin/env bash
# The cost of the access log on hits (issue 18; target under 5 %): the working tree's OpenCache
# twice behind one nginx origin, one without and one with access_log, 1 KiB hits measured in
# alternation (bench/ab.sh . . --access-log FORMAT), so both see the same background load.
# Prints both medians, the with/without ratios, the access log's line count and the dropped
# lines (which must be 0, or the cost is understated).
#   bench/access-log.sh [combined|json] [bench/ab.sh flags]
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORMAT=combined
case "${1:-}" in combined|json) FORMAT=$1; shift ;; esac
exec "$BENCH/ab.sh" --workloads 1k --access-log "$FORMAT" "$@" . .
