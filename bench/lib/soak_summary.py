#!/usr/bin/env python3
"""Prints bench/soak.sh's summary and verdict from the files in its run directory; exits 1 on FAIL.

  soak_summary.py RUN_DIR MINUTES SAMPLE_S FRACTION TARGET_RPS "PARAMETERS"

peak.txt holds the unpaced pass's "rps p50_us p99_us errors requests" (none with --rate); samples.txt one line per
window: "k elapsed_s rss_kb requests duration_us errors non2xx connect read write timeout hits
misses p50_us p99_us" (or "k dead" when OpenCache had exited); statuses.txt, when there were
any, "k 502:1,..." for the windows with statuses >= 400. The verdict:
  RSS      every sample after the first minute within 10 % of the one at the end of it
  errors   none in the paced pass
  hits     each minute's hit ratio after the first within 0.03 of their mean
The achieved rate is reported, with a note below 95 % of the target, but not judged.
"""
import os
import statistics
import sys

RSS_BAND = 0.10
HIT_BAND = 0.03

run, minutes, sample, fraction, target, params = sys.argv[1:7]
minutes, sample, fraction, target = int(minutes), int(sample), float(fraction), int(target)
per_minute = 60 // sample
planned = minutes * per_minute

peak_path = os.path.join(run, "peak.txt")      # none with --rate
peak = open(peak_path).read().split() if os.path.exists(peak_path) else None
rows, dead = [], None
for line in open(os.path.join(run, "samples.txt")):
    f = line.split()
    if len(f) == 2:
        dead = int(f[0])
        continue
    rows.append([int(x) for x in f])


def n(x):
    return "{:,}".format(int(round(x))).replace(",", " ")


requests = sum(r[3] for r in rows)
busy_s = sum(r[4] for r in rows) / 1e6
errors = [sum(r[i] for r in rows) for i in range(5, 11)]   # all, non2xx, connect, read, write, timeout
rss = [r[2] / 1024 for r in rows]
minute_ratios = []
for m in range(len(rows) // per_minute):
    w = rows[m * per_minute:(m + 1) * per_minute]
    hits, misses = sum(r[11] for r in w), sum(r[12] for r in w)
    minute_ratios.append(hits / (hits + misses) if hits + misses else 0.0)
p99 = [r[14] / 1000 for r in rows]

print()
print("Soak: %s; %d min at %s req/s%s, a sample every %d s"
      % (params, minutes, n(target), " (%.2f x the peak)" % fraction if peak else "", sample))
print()
print("| measure | value |")
print("|---|---|")
if peak:
    print("| peak req/s (unpaced) | %s (p99 %.2f ms, %s errors) |" % (n(float(peak[0])), int(peak[2]) / 1000, peak[3]))
    print("| target req/s | %s (%.2f x the peak) |" % (n(target), fraction))
else:
    print("| target req/s | %s (--rate; no peak pass) |" % n(target))
if busy_s:
    print("| achieved req/s | %s (%.1f %% of the target) over wrk's %d s in %d windows, which took %d s |"
          % (n(requests / busy_s), 100 * requests / busy_s / target, busy_s, len(rows), rows[-1][1]))
print("| requests | %s |" % n(requests))
status_path = os.path.join(run, "statuses.txt")  # "k 502:1,504:2" for windows with status errors
statuses = [l.split() for l in open(status_path)] if os.path.exists(status_path) else []
print("| errors (status >= 400 / connect / read / write / timeout) | %d (%s)%s |"
      % (errors[0], " / ".join(str(e) for e in errors[1:]),
         "; statuses " + ", ".join("%s in window %s" % (c, k) for k, c in statuses) if statuses else ""))
if p99:
    print("| p99 per window, median / max | %.2f / %.2f ms |" % (statistics.median(p99), max(p99)))

verdict, reasons = True, []
if dead is not None or len(rows) < planned:
    verdict = False
    reasons.append("OpenCache exited in window %s of %d" % (dead, planned) if dead else
                   "only %d of %d windows" % (len(rows), planned))

if len(rows) >= per_minute:
    base = rss[per_minute - 1]
    later = rss[per_minute:]
    if later:
        dev = [x / base - 1 for x in later]
        worst = max(dev, key=abs)
        print("| RSS at 1 min / at the end / max (whole pass) | %d / %d / %d MiB |" % (base, rss[-1], max(rss)))
        print("| RSS change after the first minute: at the end / largest | %+.1f %% / %+.1f %% |"
              % (100 * dev[-1], 100 * worst))
        ok = abs(worst) <= RSS_BAND
        verdict &= ok
        reasons.append("RSS %s (largest change %+.1f %%, limit 10 %%)" % ("flat" if ok else "NOT flat", 100 * worst))
verdict &= errors[0] == 0
reasons.append("%d errors" % errors[0])

if minute_ratios:
    print("| hit ratio per minute | %s |" % " ".join("%.4f" % x for x in minute_ratios))
    after = minute_ratios[1:]
    if after:
        mean = statistics.mean(after)
        spread = max(abs(x - mean) for x in after)
        print("| hit ratio after the first minute: min / max / mean | %.4f / %.4f / %.4f |"
              % (min(after), max(after), mean))
        ok = spread <= HIT_BAND
        verdict &= ok
        reasons.append("hit ratio %s (within %.4f of its mean %.4f, limit 0.03)"
                       % ("steady" if ok else "NOT steady", spread, mean))

print()
if busy_s and requests / busy_s < 0.95 * target:
    print("note: %.1f %% of the target rate only: the machine did not sustain it (see the load average); "
          "the verdict does not judge the rate" % (100 * requests / busy_s / target))
print("verdict: %s: %s" % ("PASS" if verdict else "FAIL", "; ".join(reasons)))
sys.exit(0 if verdict else 1)
