import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readSeries, readTruth, type GroundTruth, type TimeSeries } from "@causeway/core";
import { COLLECTIONS as SYNTH_COLLECTIONS, generateCollection, type CollectionSpec } from "@causeway/synth";
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

/** A synthetic collection from @causeway/synth's catalogue: 5 seeds (1 with --quick). */
function synth(spec: CollectionSpec, count = 5): Collection {
  const maxLag = ("maxLag" in spec.options ? spec.options.maxLag : undefined) ?? 3;
  return {
    name: spec.name,
    description: `${spec.description}, ${count} seeds`,
    async load(quick) {
      return generateCollection(spec.name, { count: quick ? 1 : count }).map((d) => ({ name: `${spec.name}#${d.seed}`, maxLag, series: d.series, truth: d.truth }));
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
  ...SYNTH_COLLECTIONS.map((spec) => synth(spec)),
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
