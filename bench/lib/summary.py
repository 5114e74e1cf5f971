#!/usr/bin/env python3
"""Prints bench/run.sh's result table from the raw files in its run directory.

  summary.py RUN_DIR CACHE_MB "PARAMETERS"

Per workload and cache: the median over the rounds of requests/s, p50 and p99, the cache's
own CPU time per request (all its processes, user + system; wrk and the origin not counted), then
OpenCache's ratios to each peer (of the medians; > 1 means OpenCache serves more requests/s,
and for p99 < 1 means OpenCache's tail is shorter).
"""
import collections
import os
import statistics
import sys

run, cache_mb, params = sys.argv[1], int(sys.argv[2]), sys.argv[3]
PEERS = ("nginx", "varnish")


def read(name):
    path = os.path.join(run, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def ms(us):
    return "%.2f" % (us / 1000.0)


rows = collections.defaultdict(lambda: collections.defaultdict(list))
errors = collections.Counter()
for w, c, _r, rps, p50, p99, err, _n, *cpu in read("results.txt"):
    # Results from before the CPU column have no CPU value: shown as nan.
    rows[w][c].append((float(rps), int(p50), int(p99), float(cpu[0]) if cpu else float("nan")))
    errors[(w, c)] += int(err)

load = [open(os.path.join(run, f)).read().strip() for f in ("load_start.txt", "load_end.txt")
        if os.path.exists(os.path.join(run, f))]
print()
print("OpenCache vs nginx vs Varnish -- %s; cache bound %d MiB; load average %s"
      % (params, cache_mb, " -> ".join(load)))
print()
print("| workload | cache | req/s | p50 ms | p99 ms | CPU us/req | errors | OC/nginx req/s | OC/Varnish req/s | OC/nginx p99 | OC/Varnish p99 |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for w, caches in rows.items():
    med = {c: tuple(statistics.median(x[i] for x in v) for i in range(4)) for c, v in caches.items()}
    for c in ("opencache",) + PEERS:
        if c not in med:
            continue
        rps, p50, p99, cpu = med[c]
        extra = ["", "", "", ""]
        if c == "opencache":
            extra = ["%.2f" % (rps / med[p][0]) if p in med else "" for p in PEERS] + \
                    ["%.2f" % (p99 / med[p][2]) if p in med and med[p][2] else "" for p in PEERS]
        print("| %s | %s | %.0f | %s | %s | %.1f | %d | %s |" % (w, c, rps, ms(p50), ms(p99), cpu,
              errors[(w, c)], " | ".join(extra)))

zipf = read("zipf_hits.txt")
if zipf:
    print()
    print("Zipf hit ratio over the measured rounds (each cache's own counters; lru = offline "
          "LRU of %d MiB over the same sequence): %s" % (cache_mb, ", ".join("%s %s" % (c, h) for c, h in zipf)))

files = [int(x[0]) for x in read("nginx_files.txt")]
if files:
    print("nginx cache files during the Zipf rounds: max %d, last %d (%d MiB of 3 KiB files in "
          "4 KiB blocks is %d)" % (max(files), files[-1], cache_mb, cache_mb * 256))

storm = read("storm.txt")
if storm:
    per = collections.defaultdict(list)
    for c, _r, n in storm:
        per[c].append(n)
    print("Miss storm, origin requests per round (target 1): %s"
          % "; ".join("%s %s" % (c, ",".join(v)) for c, v in per.items()))

rss = [int(x[1]) for x in read("rss.log")]
if rss:
    after = ", ".join("%s %d MiB" % (w, int(k) // 1024) for w, k in read("rss_after.txt"))
    print("OpenCache RSS: min %d MiB, max %d MiB, last %d MiB over %d s (after each workload: %s); "
          "target <= max_cache_size + 300 MiB = %d MiB"
          % (min(rss) // 1024, max(rss) // 1024, rss[-1] // 1024, len(rss), after, cache_mb + 300))
