-- wrk script for the Zipf workload: replays a pre-generated sequence of object ranks
-- (bench/lib/zipf.py gen), so the offline LRU simulation sees the very same distribution.
-- Each thread of each wrk run starts at a random offset and wraps around: a fixed start would
-- replay the same prefix in every round, and a slow cache (fewer requests per round) would
-- find the objects of its previous round still cached, inflating its hit ratio.
dofile(os.getenv("BENCH_LIB") .. "/report.lua")

local seq, n = {}, 0
for line in io.lines(os.getenv("ZIPF_SEQ")) do
  n = n + 1
  seq[n] = tonumber(line)
end

local next_id = 1
function setup(thread)          -- main Lua state: number the threads
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local i
function init(args)             -- thread state: a random start per thread and run
  math.randomseed(os.time() * 1000 + (tid or 1) * 7919 + math.floor(os.clock() * 1e6))
  i = math.random(0, n - 1)
end

function request()
  i = i % n + 1
  return wrk.format("GET", "/z/" .. seq[i])
end
