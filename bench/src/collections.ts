import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readSeries, readTruth, type GroundTruth, type TimeSeries } from "@causeway/core";
import { generateKuramoto, generateLorenz96, generateNonlinear, generateVar } from "@causeway/synth";
import { DATA_DIR, hasSharedData } from "./env.js";

/** One benchmark data set: a series, its truth, and the maxLag methods are asked for. */
export interface Dataset {
  name: string;
  series: TimeSeries;
  truth: GroundTruth;
  maxLag: number;
  /** Alternative truths scored beside the main one (e.g. NetSim's other direction reading). */
  altTruths?: Record<string, GroundTruth>;
}

/** A named group of data sets, loaded lazily. */
export interface Collection {
  name: string;
  description: string;
  /** For slow (tensor) methods: use only this many data sets, evenly spaced (documented in the report). */
  slowLimit?: number;
  load(quick: boolean): Promise<Dataset[]>;
}

const seeds = (n: number) => Array.from({ length: n }, (_, i) => i);

function synth(name: string, description: string, count: number, make: (seed: number) => { series: TimeSeries; truth: GroundTruth }, maxLag = 3): Collection {
  return {
    name,
    description,
    async load(quick) {
      return seeds(quick ? 1 : count).map((seed) => ({ name: `${name}#${seed}`, maxLag, ...make(seed) }));
    },
  };
}

/** TCDF-style folders: data CSVs plus `cause,effect,delay` truth files. */
async function tcdfFolder(dir: string, pairs: (files: string[]) => [string, string][], maxLag: number, withAlt: boolean): Promise<Dataset[]> {
  const files = (await readdir(dir)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const out: Dataset[] = [];
  for (const [dataFile, truthFile] of pairs(files)) {
    const series = await readSeries(join(dir, dataFile));
    const truth = await readTruth(join(dir, truthFile), { variables: series.variables, order: "cause-effect" });
    const ds: Dataset = { name: dataFile.replace(/\.csv$/, ""), series, truth: { ...truth, maxLag: Math.max(truth.maxLag, maxLag) }, maxLag };
    if (withAlt) {
      const alt = await readTruth(join(dir, truthFile), { variables: series.variables, order: "effect-cause" });
      ds.altTruths = { "effect-cause": { ...alt, maxLag: Math.max(alt.maxLag, maxLag) } };
    }
    out.push(ds);
  }
  return out;
}

export const COLLECTIONS: Collection[] = [
  synth("var-v5-l3", "linear VAR(3), V=5, T=1000, 5 seeds", 5, (seed) => generateVar({ vars: 5, length: 1000, maxLag: 3, seed })),
  synth("var-v10-l3", "linear VAR(3), V=10, T=1000, 5 seeds", 5, (seed) => generateVar({ vars: 10, length: 1000, maxLag: 3, seed })),
  synth("nonlinear-v5-l3", "nonlinear additive-noise SCM (LCM paper family), V=5, maxLag 3, T=1000, 5 seeds", 5, (seed) => generateNonlinear({ vars: 5, length: 1000, maxLag: 3, seed })),
  synth("nonlinear-v10-l3", "nonlinear additive-noise SCM, V=10, maxLag 3, T=1000, 5 seeds", 5, (seed) => generateNonlinear({ vars: 10, length: 1000, maxLag: 3, seed })),
  synth("lorenz96-v10-f10", "Lorenz-96, V=10, F=10, T=1000, 5 seeds (summary truth)", 5, (seed) => generateLorenz96({ vars: 10, length: 1000, forcing: 10, seed })),
  synth("lorenz96-v20-f40", "Lorenz-96, V=20, F=40, T=1000, 5 seeds (summary truth)", 5, (seed) => generateLorenz96({ vars: 20, length: 1000, forcing: 40, seed })),
  synth("kuramoto-v5", "Kuramoto oscillators, V=5, T=1000, 5 seeds (summary truth)", 5, (seed) => generateKuramoto({ vars: 5, length: 1000, seed })),
  synth("kuramoto-v10", "Kuramoto oscillators, V=10, T=1000, 5 seeds (summary truth)", 5, (seed) => generateKuramoto({ vars: 10, length: 1000, seed })),
  {
    name: "tcdf-demo",
    description: "TCDF demo: 4 series x 4000, x0 -> x1 (lag 1), x1 -> x2 (lag 2)",
    async load() {
      if (!hasSharedData()) return [];
      return tcdfFolder(join(DATA_DIR, "tcdf-demo"), () => [["demo_dataset.csv", "demo_groundtruth.csv"]], 3, false);
    },
  },
  {
    name: "tcdf-finance",
    description: "FinanceCPT (Kleinberg) via TCDF: 9 sets of 25 series x 4000, delays 1-3",
    async load(quick) {
      if (!hasSharedData()) return [];
      const sets = await tcdfFolder(
        join(DATA_DIR, "tcdf-finance"),
        (files) => files.filter((f) => f.endsWith("_returns30007000_header.csv")).map((f) => [f, f.replace("_returns30007000_header", "")]),
        3,
        false,
      );
      return quick ? sets.slice(0, 1) : sets;
    },
  },
  {
    name: "tcdf-fmri",
    description: "NetSim fMRI (Smith et al.) via TCDF: 28 sims, 5-50 nodes; truth read as cause,effect (TCDF); the effect,cause reading is scored too",
    async load(quick) {
      if (!hasSharedData()) return [];
      const sets = await tcdfFolder(
        join(DATA_DIR, "tcdf-fmri-netsim"),
        (files) => files.filter((f) => /^timeseries\d+\.csv$/.test(f)).map((f) => [f, `sim${f.match(/\d+/)![0]}_gt_processed.csv`]),
        1,
        true,
      );
      return quick ? sets.slice(0, 2) : sets;
    },
  },
  {
    name: "lcm-cdml",
    description: "CDML (Lawrence et al. 2020) subset shipped with the LCM paper: 120 configurations, 5-12 variables, lags 1-3; variables mapped by name",
    slowLimit: 24,
    async load(quick) {
      if (!hasSharedData()) return [];
      const dir = join(DATA_DIR, "lcm-cdml-subset");
      const files = (await readdir(dir)).filter((f) => f.endsWith("_data.csv")).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      const out: Dataset[] = [];
      for (const f of quick ? files.slice(0, 3) : files) {
        const series = await readSeries(join(dir, f));
        const truth = await readTruth(join(dir, f.replace(/_data\.csv$/, "_target.csv")), { variables: series.variables });
        out.push({ name: f.replace(/_data\.csv$/, ""), series, truth: { ...truth, maxLag: Math.max(3, truth.maxLag) }, maxLag: 3 });
      }
      return out;
    },
  },
];

/** Evenly spaced subset of `n` items (deterministic), for slow methods on big collections. */
export function spaced<T>(xs: T[], n: number | undefined): T[] {
  if (n === undefined || xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);
}
