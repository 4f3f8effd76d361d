#!/usr/bin/env python3
"""statsmodels' ADF and KPSS on every variable of the datasets of `pnpm bench checks`.

Our own driver: it only calls statsmodels.tsa.stattools.adfuller(x) and kpss(x, nlags="auto")
with their defaults. Usage: checks_statsmodels.py IN.json OUT.json, IN = {"datasets": [{"name",
"columns": [[x_0..x_T-1] per variable]}]}; OUT = {"datasets": [{"adf": [p per variable],
"kpss": [p per variable], "seconds": s}]}.
"""
import json
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.stattools import adfuller, kpss


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        datasets = json.load(f)["datasets"]
    out = []
    for d in datasets:
        cols = [np.asarray(c, dtype=float) for c in d["columns"]]
        t0 = time.perf_counter()
        adf = [float(adfuller(x)[1]) for x in cols]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # InterpolationWarning: p clipped at the table's ends
            kp = [float(kpss(x, regression="c", nlags="auto")[1]) for x in cols]
        out.append({"adf": adf, "kpss": kp, "seconds": time.perf_counter() - t0})
    with open(dst, "w") as f:
        json.dump({"datasets": out}, f)


if __name__ == "__main__":
    main()
