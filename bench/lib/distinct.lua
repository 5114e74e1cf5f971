-- wrk script for bench/index-heap.sh: every request asks a URL never asked before
-- (/o/RUN-THREAD-N), and each thread stops after its share of DISTINCT_COUNT responses and then
-- creates the file DISTINCT_DONE.THREAD: wrk's main thread sleeps out -d regardless, so the
-- caller sends it SIGINT (it then reports) once every thread's file is there.
-- done() prints one line, "RESULT requests=R non2xx=S connect=C read=D write=W timeout=T".
local count = tonumber(os.getenv("DISTINCT_COUNT"))
local threads = tonumber(os.getenv("DISTINCT_THREADS"))
local run = os.getenv("DISTINCT_RUN") or "0"

local next_id = 1
function setup(thread)          -- main Lua state: number the threads
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local n, answered, quota
function init(args)
  n = 0
  answered = 0
  quota = math.ceil(count / threads)
end

function request()
  n = n + 1
  return wrk.format("GET", "/o/" .. run .. "-" .. tid .. "-" .. n)
end

function response(status, headers, body)
  answered = answered + 1
  if answered == quota then
    io.open(os.getenv("DISTINCT_DONE") .. "." .. tid, "w"):close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout))
end
