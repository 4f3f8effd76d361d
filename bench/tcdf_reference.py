#!/usr/bin/env python3
"""TCDF's reference implementation (Nauta et al., "Causal Discovery with Attention-Based Convolutional Neural
Networks", 2019) for the `speed` bench suite (bench/src/suites/speed.ts).

Reads a CSV (one header row of variable names, then T rows of V numbers), runs the reference's
`TCDF.findcauses` (github.com/M-Nauta/TCDF, imported through PYTHONPATH, never copied) for every target with
its command-line defaults (epochs 1000, kernel_size 4, hidden_layers 0 i.e. levels 1, dilation 4, Adam lr 0.01,
significance 0.8, seed 1111, CPU), as its runTCDF.py loops them, and prints one JSON object on stdout:

  {"settings", "threads", "seconds", "cpuSeconds", "scores": [[effect][cause]], "validated": [[effect, cause, delay], ...]}

"scores" are the reference's attention scores per target (its continuous output, index = cause), which rank
edges for an AUROC; "validated" are the causes that passed its PIVM, with its delay. "seconds" / "cpuSeconds"
time the findcauses calls alone (wall clock / this process's CPU). The reference's prints go to stderr.

`--standardize 1` (default) z-scores every column into a temporary CSV first (the reference reads a file), as
the `tcdf` method z-scores its input; `--standardize 0` feeds the CSV as given.

Usage: PYTHONPATH=/tmp/ref/TCDF /usr/bin/python3 bench/tcdf_reference.py --csv IN.csv [--epochs 1000] [--threads 1]
Debian's python3-torch (1.13), python3-pandas.
"""
import argparse
import contextlib
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv", required=True)
    p.add_argument("--epochs", type=int, default=1000)
    p.add_argument("--kernel-size", type=int, default=4)
    p.add_argument("--hidden-layers", type=int, default=0)
    p.add_argument("--dilation", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--significance", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=1111)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--standardize", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    import TCDF

    df = pd.read_csv(a.csv)
    columns = list(df.columns)
    V = len(columns)
    path = a.csv
    tmp = None
    if a.standardize:
        z = (df - df.mean()) / df.std(ddof=0)
        tmp = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
        z.to_csv(tmp.name, index=False)
        tmp.close()
        path = tmp.name
    scores = [[0.0] * V for _ in range(V)]
    validated = []
    wall = 0.0
    cpu = 0.0
    try:
        with contextlib.redirect_stdout(sys.stderr):
            for c in columns:
                e = columns.index(c)
                t0, c0 = time.perf_counter(), time.process_time()
                causes, delays, _loss, att = TCDF.findcauses(c, cuda=False, epochs=a.epochs, kernel_size=a.kernel_size, layers=a.hidden_layers + 1, log_interval=max(a.epochs, 1), lr=a.lr, optimizername="Adam", seed=a.seed, dilation_c=a.dilation, significance=a.significance, file=path)
                wall += time.perf_counter() - t0
                cpu += time.process_time() - c0
                scores[e] = [float(x) for x in att]
                validated += [[int(k[0]), int(k[1]), int(d)] for k, d in delays.items()]
    finally:
        if tmp is not None:
            os.unlink(tmp.name)
    settings = {"epochs": a.epochs, "kernel_size": a.kernel_size, "hidden_layers": a.hidden_layers, "dilation": a.dilation, "lr": a.lr, "optimizer": "Adam", "significance": a.significance, "seed": a.seed, "standardize": bool(a.standardize)}
    json.dump({"settings": settings, "threads": torch.get_num_threads(), "seconds": wall, "cpuSeconds": cpu, "scores": scores, "validated": validated}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
