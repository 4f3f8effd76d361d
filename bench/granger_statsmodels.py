#!/usr/bin/env python3
"""statsmodels' Granger test for the `granger` bench suite (bench/src/suites/granger.ts).

Reads a JSON file {"maxlag": L, "datasets": [{"name", "data": [[...], ...]}, ...]} (data[t][v]),
runs statsmodels.tsa.stattools.grangercausalitytests(data[:, [effect, cause]], maxlag=L) on every
ordered pair of every dataset, and writes JSON {"datasets": [{"name", "pvalue", "fstat", "seconds"}]}
with [effect][cause][L - 1] arrays of the ssr F-test (the diagonal: null; statsmodels has no test of a
variable on itself). "seconds" times the grangercausalitytests calls alone.

Usage: /usr/bin/python3 bench/granger_statsmodels.py IN.json OUT.json   (Debian's python3: statsmodels 0.13.5)
"""
import json
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.stattools import grangercausalitytests


def run(data, maxlag):
    V = data.shape[1]
    pvalue = [[None] * V for _ in range(V)]
    fstat = [[None] * V for _ in range(V)]
    seconds = 0.0
    for e in range(V):
        for c in range(V):
            if e == c:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                res = grangercausalitytests(data[:, [e, c]], maxlag=maxlag, addconst=True, verbose=False)
                seconds += time.perf_counter() - t0
            ps, fs = [], []
            for L in range(1, maxlag + 1):
                f, p, _, _ = res[L][0]["ssr_ftest"]
                ps.append(float(p))
                fs.append(float(f))
            pvalue[e][c], fstat[e][c] = ps, fs
    return {"pvalue": pvalue, "fstat": fstat, "seconds": seconds}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        job = json.load(f)
    out = []
    for d in job["datasets"]:
        r = run(np.asarray(d["data"], dtype=float), int(job["maxlag"]))
        r["name"] = d["name"]
        out.append(r)
    with open(dst, "w") as f:
        json.dump({"datasets": out}, f)


if __name__ == "__main__":
    main()
