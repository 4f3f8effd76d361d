#!/usr/bin/env python3
"""tigramite's CMIknn on the datasets bench/cmiknn/run.ts wrote: one run_test_raw per dataset,
its p-value and wall time. Our own script: it only calls tigramite (kept outside the repo).

    PYTHONPATH=/tmp/ref/tigramite /usr/bin/python3 tigramite_cmiknn.py IN.json OUT.json
"""
import json
import sys
import time

import numpy as np

from tigramite.independence_tests.cmiknn import CMIknn


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        jobs = json.load(f)["jobs"]
    # warm-up: numba compiles CMIknn's jitted helpers on their first call; keep that out of the times
    rng = np.random.default_rng(0)
    for dz in sorted({len(job["z"]) for job in jobs}):
        CMIknn(knn=5, sig_samples=2, sig_blocklength=1, workers=1).run_test_raw(
            rng.standard_normal((60, 1)), rng.standard_normal((60, 1)), rng.standard_normal((60, dz)) if dz else None
        )
    out = []
    for i, job in enumerate(jobs):
        x = np.asarray(job["x"], dtype=float)[:, None]
        y = np.asarray(job["y"], dtype=float)[:, None]
        z = np.asarray(job["z"], dtype=float).T if job["z"] else None
        test = CMIknn(
            knn=job["knn"],
            shuffle_neighbors=job["shuffle_neighbors"],
            sig_samples=job["sig_samples"],
            sig_blocklength=1,  # empty Z: a plain permutation, as ours
            permute=job["permute"].upper(),
            transform="ranks",
            workers=1,
            seed=job["seed"],
        )
        t0 = time.perf_counter()
        val, pval = test.run_test_raw(x, y, z)
        ms = (time.perf_counter() - t0) * 1000
        out.append({"value": float(val), "pvalue": float(pval), "ms": ms})
        if (i + 1) % 100 == 0:
            print(f"tigramite: {i + 1}/{len(jobs)}", file=sys.stderr, flush=True)
    with open(dst, "w") as f:
        json.dump({"results": out}, f)


if __name__ == "__main__":
    main()
