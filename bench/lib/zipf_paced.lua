-- wrk script for bench/soak.sh: lib/zipf.lua's requests at a fixed rate. wrk has no rate option
-- (and Debian has no wrk2), but it asks delay() before every request of every connection: each
-- thread keeps a schedule of one slot every ZIPF_THREADS / ZIPF_RATE seconds, and every call
-- takes the next slot and waits for it, so the whole run sends ZIPF_RATE requests a second while
-- enough connections are idle. A thread that falls behind (every connection busy, a pause) sends
-- its missed slots at once, but at most one second's worth: older slots are dropped.
-- done() prints one line:
--   RESULT requests=R duration_us=D p50_us=P p99_us=Q non2xx=S connect=C read=E write=W timeout=T statuses=L
-- non2xx is wrk's status error count (responses of 400 and above), L those statuses with their
-- counts, "502:3,504:1" ("-" for none).
dofile(os.getenv("BENCH_LIB") .. "/zipf.lua")

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
int clock_gettime(int clock_id, soak_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("soak_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = 1000 * tonumber(os.getenv("ZIPF_THREADS")) / tonumber(os.getenv("ZIPF_RATE"))
local next_slot

function delay()                -- milliseconds until this request's slot (wrk truncates to whole ms)
  local now = now_ms()
  if next_slot == nil then
    next_slot = now
  elseif next_slot < now - 1000 then
    next_slot = now - 1000
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  return wait > 0 and wait or 0
end

local threads = {}
local zipf_setup = setup
function setup(thread)          -- main state: keep the threads, for done() to read their statuses
  zipf_setup(thread)
  threads[#threads + 1] = thread
end

statuses = {}                   -- thread state (a global, for thread:get): status >= 400 -> count
function response(status, headers, body)
  if status >= 400 then statuses[status] = (statuses[status] or 0) + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local counts, list = {}, {}
  for _, t in ipairs(threads) do
    for code, k in pairs(t:get("statuses") or {}) do counts[code] = (counts[code] or 0) + k end
  end
  for code, k in pairs(counts) do list[#list + 1] = code .. ":" .. k end
  table.sort(list)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout, #list > 0 and table.concat(list, ",") or "-"))
end
