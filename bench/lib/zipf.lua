-- wrk script for the Zipf workload: replays a pre-generated sequence of object ranks
-- (bench/lib/zipf.py gen), so the offline LRU simulation sees the very same distribution.
-- Each thread starts at its own offset of the sequence and wraps around.
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
function init(args)             -- thread state: spread the threads over the sequence
  i = ((tid or 1) - 1) * 104729 % n
end

function request()
  i = i % n + 1
  return wrk.format("GET", "/z/" .. seq[i])
end
