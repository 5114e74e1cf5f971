-- wrk reporter: one machine-readable line the harness parses, instead of scraping wrk's
-- human output (whose units change between us, ms and s).
--   RESULT <requests/s> <p50 us> <p99 us> <errors> <requests>
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local rps = summary.requests / (summary.duration / 1e6)
  io.write(string.format("RESULT %.1f %d %d %d %d\n", rps,
    latency:percentile(50), latency:percentile(99), errors, summary.requests))
end
