#!/usr/bin/env python3
"""Zipf workload helper for bench/run.sh.

  zipf.py gen N_URLS S N_SAMPLES SEED > seq      one rank (1..N_URLS) per line, P(k) ~ 1/k^S
  zipf.py lru SEQ CAPACITY_BYTES OBJECT_BYTES WARM
      hit ratio of an LRU cache of CAPACITY_BYTES over SEQ (every object OBJECT_BYTES long),
      counted after the first WARM requests, like the caches, which are measured after warm-up.
"""
import bisect
import collections
import itertools
import random
import sys


def gen(n_urls, s, n_samples, seed):
    weights = [1.0 / (k ** s) for k in range(1, n_urls + 1)]
    cdf = list(itertools.accumulate(weights))
    total = cdf[-1]
    rnd = random.Random(seed)
    out = sys.stdout
    for _ in range(n_samples):
        out.write("%d\n" % (bisect.bisect_left(cdf, rnd.random() * total) + 1))


def lru(seq_path, capacity, obj_bytes, warm):
    slots = capacity // obj_bytes          # same size objects: a byte bound is a count bound
    cache = collections.OrderedDict()
    hits = misses = 0
    with open(seq_path) as f:
        for n, line in enumerate(f):
            k = int(line)
            hit = k in cache
            if hit:
                cache.move_to_end(k)
            else:
                cache[k] = True
                if len(cache) > slots:
                    cache.popitem(last=False)
            if n >= warm:
                if hit:
                    hits += 1
                else:
                    misses += 1
    print("%.4f" % (hits / max(1, hits + misses)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "lru":
        lru(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(__doc__)
