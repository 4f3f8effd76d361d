#!/usr/bin/env python3
"""tigramite's PCMCI with ParCorr for the `pcmci` bench suite (bench/src/suites/pcmci.ts).

Reads a JSON file {"tau_max": L, "pc_alpha": a, "datasets": [{"name", "data": [[...], ...]}, ...]}
(data[t][v]), runs PCMCI(DataFrame(data), ParCorr(significance="analytic")).run_pcmci(tau_min=1,
tau_max=L, pc_alpha=a) on each dataset (with "method": "pcmciplus", run_pcmciplus(tau_min=0, ...)), and
writes JSON {"datasets": [{"name", "p_matrix", "val_matrix", "graph", "seconds"}]} with tigramite's
[cause][effect][lag] matrices and link strings. "seconds" times the
run_pcmci call alone (no imports, no DataFrame construction).

Usage: PYTHONPATH=/tmp/ref/tigramite OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pcmci_tigramite.py IN.json OUT.json
(tigramite from its public source, kept outside the repository; Debian's numpy and scipy). The suite runs it
with one BLAS thread, as ours runs on one: on the shared 2-core machine, BLAS threads oversubscribed the
cores and made tigramite up to 8x slower.
"""
import json
import sys
import time

import numpy as np
from tigramite.data_processing import DataFrame
from tigramite.independence_tests.parcorr import ParCorr
from tigramite.pcmci import PCMCI


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        job = json.load(f)
    out = []
    for d in job["datasets"]:
        data = np.asarray(d["data"], dtype=float)
        pcmci = PCMCI(dataframe=DataFrame(data), cond_ind_test=ParCorr(significance="analytic"), verbosity=0)
        t0 = time.perf_counter()
        if job.get("method") == "pcmciplus":
            res = pcmci.run_pcmciplus(tau_min=0, tau_max=int(job["tau_max"]), pc_alpha=float(job["pc_alpha"]))
        else:
            res = pcmci.run_pcmci(tau_min=1, tau_max=int(job["tau_max"]), pc_alpha=float(job["pc_alpha"]))
        seconds = time.perf_counter() - t0
        out.append({"name": d["name"], "p_matrix": res["p_matrix"].tolist(), "val_matrix": res["val_matrix"].tolist(), "graph": res["graph"].tolist(), "seconds": seconds})
        print(f"tigramite {d['name']}: {seconds:.2f} s", file=sys.stderr, flush=True)
    with open(dst, "w") as f:
        json.dump({"datasets": out}, f)


if __name__ == "__main__":
    main()
