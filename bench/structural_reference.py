#!/usr/bin/env python3
"""lingam's VARLiNGAM and causalnex's DYNOTEARS for the `structural` bench suite (bench/src/suites/structural.ts).

Reads a JSON file {"maxlag": p, "lambda": λ, "datasets": [{"name", "data": [[...], ...]}, ...]} (data[t][v],
already z-scored by the suite) and writes JSON {"datasets": [{"name", "varlingam": {...}, "dynotears": {...}}]}:
VARLiNGAM(lags=p, criterion="bic", prune=True) -> adjacency [1 + order][effect][cause] and its seconds;
DYNOTEARS (causalnex's _learn_dynamic_structure with from_numpy_dynamic's bounds, lambda_w = lambda_a = λ,
max_iter 100, h_tol 1e-8) -> W [cause][effect], A [(lag - 1) V + cause][effect] and its seconds.
Seconds time the fit calls alone (no Python start-up, no imports).

Usage: /usr/bin/python3 bench/structural_reference.py LINGAM_DIR DYNOTEARS_PY IN.json OUT.json
  LINGAM_DIR: a checkout of cdt15/lingam (the folder holding the `lingam` package), e.g. /tmp/ref/lingam
  DYNOTEARS_PY: causalnex's causalnex/structure/dynotears.py from a checkout of mckinsey/causalnex
Both stay outside the repository; the optional modules their packages import (plotting, GAMs, torch,
networkx) are not installed here and are stubbed, since neither fit uses them.
"""
import importlib.machinery
import importlib.util
import json
import sys
import time
import types
import warnings

import numpy as np

STUBBED = {"graphviz", "pygam", "psy", "semopy", "igraph", "networkx", "matplotlib", "lingam_cuda", "autograd", "torch", "lightgbm", "factor_analyzer"}


class _Stub(types.ModuleType):
    __path__ = []

    def __getattr__(self, attr):
        return type(attr, (), {})


class _StubFinder:
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self, is_package=True) if name.split(".")[0] in STUBBED else None

    def create_module(self, spec):
        return _Stub(spec.name)

    def exec_module(self, module):
        pass


def load(lingam_dir, dynotears_py):
    sys.meta_path.insert(0, _StubFinder())
    sys.path.insert(0, lingam_dir)
    from lingam import VARLiNGAM

    for name in ["causalnex", "causalnex.structure", "causalnex.structure.transformers"]:
        mod = types.ModuleType(name)
        mod.StructureModel = type("StructureModel", (), {})
        mod.DynamicDataTransformer = type("DynamicDataTransformer", (), {})
        sys.modules[name] = mod
    spec = importlib.util.spec_from_file_location("dynotears", dynotears_py)
    dyn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dyn)
    return VARLiNGAM, dyn


def main():
    lingam_dir, dynotears_py, src, dst = sys.argv[1:5]
    VARLiNGAM, dyn = load(lingam_dir, dynotears_py)
    job = json.load(open(src))
    p, lam = job["maxlag"], job["lambda"]
    out = []
    for d in job["datasets"]:
        x = np.array(d["data"], dtype=float)
        V = x.shape[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            model = VARLiNGAM(lags=p, criterion="bic", prune=True).fit(x)
            t_lingam = time.perf_counter() - t0
            X = x[p:]
            Xlags = np.concatenate([x[p - l : len(x) - l] for l in range(1, p + 1)], axis=1)
            bnds = 2 * [(0, 0) if i == j else (0, None) for i in range(V) for j in range(V)] + [(0, None)] * (2 * p * V * V)
            t0 = time.perf_counter()
            w, a = dyn._learn_dynamic_structure(X, Xlags, bnds, lam, lam, 100, 1e-8)
            t_dyn = time.perf_counter() - t0
        out.append({
            "name": d["name"],
            "varlingam": {"adjacency": model.adjacency_matrices_.tolist(), "order": int(model._lags), "seconds": t_lingam},
            "dynotears": {"W": w.tolist(), "A": a.tolist(), "seconds": t_dyn},
        })
        print(d["name"], f"lingam {t_lingam:.2f}s dynotears {t_dyn:.2f}s", file=sys.stderr)
    json.dump({"datasets": out}, open(dst, "w"))


if __name__ == "__main__":
    main()
