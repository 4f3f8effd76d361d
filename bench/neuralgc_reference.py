#!/usr/bin/env python3
"""Neural-GC's cMLP / cLSTM (Tank, Covert et al., TPAMI 2021) for the `speed` bench suite (bench/src/suites/speed.ts).

Reads a CSV (one header row of variable names, then T rows of V numbers), trains the reference model from
its public source (github.com/iancovert/Neural-GC, imported through PYTHONPATH, never copied) with ISTA at one
lambda, as its demo notebooks do, and prints one JSON object on stdout:

  {"model", "settings", "threads", "seconds", "cpuSeconds", "iters", "scores": [[effect][cause]], "snapshots": [...]}

"scores" are the reference's own continuous output, `model.GC(threshold=False)` (the group norm of each
cause's first-layer weights in effect's network), which ranks edges for an AUROC. "seconds" / "cpuSeconds"
time the training call alone (wall clock / this process's CPU; no imports, no data loading). "snapshots" are (iteration, seconds, scores) every
`--snapshot-every` ISTA steps, taken from the hook the reference itself calls when it logs progress
(`model.GC()` every `check_every` steps with verbose=1); they let the suite read the reference's AUROC
against its time. The hook's logging goes to stderr.

Usage: PYTHONPATH=/tmp/ref/Neural-GC /usr/bin/python3 bench/neuralgc_reference.py --model cmlp --csv IN.csv \
       [--lag 5] [--hidden 100] [--lam 0.002] [--lam-ridge 0.01] [--lr 0.05] [--max-iter 50000] \
       [--check-every 100] [--context 10] [--threads 1] [--seed 0]
Defaults are the reference's demo notebooks (cmlp_lagged_var_demo / clstm_lorenz_demo; for cLSTM:
--lam 10 --lr 0.001 --context 10, hidden 100). Debian's python3-torch (1.13), CPU.
"""
import argparse
import contextlib
import json
import sys
import time

import numpy as np
import torch


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["cmlp", "clstm"], required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--lag", type=int, default=5)
    p.add_argument("--hidden", type=int, default=100)
    p.add_argument("--lam", type=float, default=None)
    p.add_argument("--lam-ridge", type=float, default=1e-2)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--max-iter", type=int, default=None)
    p.add_argument("--check-every", type=int, default=None)
    p.add_argument("--context", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--standardize", type=int, default=1)
    p.add_argument("--snapshot-every", type=int, default=500)
    return p.parse_args()


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    data = np.loadtxt(a.csv, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)  # [T, V]
    if a.standardize:
        # z-score each variable, as ours does before fitting (the reference's demos feed raw simulations; on
        # raw Lorenz-96, sd ~3.6, its cMLP demo step lr=0.05 diverges to NaN within 100 steps)
        data = (data - data.mean(0)) / data.std(0)
    X = torch.tensor(data[np.newaxis])  # [1, T, V]
    V = data.shape[1]
    demo = {"cmlp": (0.002, 5e-2, 50000, 100), "clstm": (10.0, 1e-3, 20000, 50)}[a.model]
    lam = demo[0] if a.lam is None else a.lam
    lr = demo[1] if a.lr is None else a.lr
    max_iter = demo[2] if a.max_iter is None else a.max_iter
    check_every = demo[3] if a.check_every is None else a.check_every

    snapshots = []
    state = {"t0": None, "c0": None, "calls": 0}

    def hooked(base):
        class Hooked(base):
            # the reference calls model.GC() (defaults) once per check_every steps when verbose: record the
            # continuous norms and the time then, and answer as the reference expects
            def GC(self, threshold=True, **kw):
                if state["t0"] is not None and threshold and not kw:
                    state["calls"] += 1
                    it = state["calls"] * check_every
                    if it % a.snapshot_every == 0:
                        with torch.no_grad():
                            norms = super().GC(threshold=False).cpu().numpy()
                        snapshots.append({"iter": it, "seconds": time.perf_counter() - state["t0"], "cpuSeconds": time.process_time() - state["c0"], "scores": norms.tolist()})
                return super().GC(threshold, **kw)

        return Hooked

    if a.model == "cmlp":
        from models.cmlp import cMLP, train_model_ista

        model = hooked(cMLP)(V, lag=a.lag, hidden=[a.hidden])
        train = lambda: train_model_ista(model, X, lam=lam, lam_ridge=a.lam_ridge, lr=lr, penalty="H", max_iter=max_iter, check_every=check_every, verbose=1)
        settings = {"lag": a.lag, "hidden": a.hidden, "penalty": "H"}
    else:
        from models.clstm import cLSTM, train_model_ista

        model = hooked(cLSTM)(V, hidden=a.hidden)
        train = lambda: train_model_ista(model, X, context=a.context, lam=lam, lam_ridge=a.lam_ridge, lr=lr, max_iter=max_iter, check_every=check_every, verbose=1)
        settings = {"context": a.context, "hidden": a.hidden}
    settings.update({"lam": lam, "lam_ridge": a.lam_ridge, "lr": lr, "max_iter": max_iter, "check_every": check_every, "optimizer": "ISTA", "seed": a.seed, "standardize": bool(a.standardize)})

    with contextlib.redirect_stdout(sys.stderr):
        state["t0"], state["c0"] = time.perf_counter(), time.process_time()
        losses = train()
        seconds = time.perf_counter() - state["t0"]
        cpu_seconds = time.process_time() - state["c0"]
        state["t0"] = None
    with torch.no_grad():
        scores = model.GC(threshold=False).cpu().numpy()  # [effect, cause]
    out = {"model": a.model, "settings": settings, "threads": torch.get_num_threads(), "seconds": seconds, "cpuSeconds": cpu_seconds, "iters": len(losses) * check_every, "scores": scores.tolist(), "snapshots": snapshots}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
