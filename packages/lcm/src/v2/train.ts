// Training LCM v2: feature tables of generated series are computed once (cached on disk), then the
// per-entry MLP is fitted on them with Adam. Deterministic for a seed; a checkpoint after every
// epoch holds the weights, Adam's moments and the log, so a resumed run ends on the same weights.
import { InputError, throwIfAborted } from "@causeway/core";
import { auroc } from "@causeway/metrics";
import { mix } from "../data.js";
import { nodeBuiltin } from "../node-builtins.js";
import { featureNames, featureTable, type FeatureSet } from "./features.js";
import { adamStep, initParams, lossAndGrad, type AdamState } from "./mlp.js";
import { LcmV2Model, standardize } from "./model.js";
import { MIXTURE_FAMILIES, type MixtureFamily } from "@causeway/synth";
import { DEFAULT_V2_RANGES, V2_FAMILIES, labelsV2, sampleMixtureV2, sampleV2, type V2Family, type V2Ranges } from "./data.js";

/** A v2 training config (`causeway lcm train --config`, recognised by `"version": 2`). */
export interface TrainV2Config {
  version: 2;
  featureSet: FeatureSet;
  seed: number;
  /**
   * Where the series come from: "mixture" = @causeway/synth's \`sampleMixture\` (its ten families,
   * \`mixtureFamilies\`), "builtin" = this package's \`sampleV2\` (\`families\` weights).
   */
  source: "mixture" | "builtin";
  /** Families of the synth mixture (source "mixture"; drawn uniformly). */
  mixtureFamilies: MixtureFamily[];
  /** Training series (each contributes up to `rowsPerSeries` sampled entries). */
  trainSeries: number;
  /** Validation series per family (a different seed stream, every entry). */
  valSeriesPerFamily: number;
  families: Partial<Record<V2Family, number>>;
  ranges: V2Ranges;
  rowsPerSeries: number;
  hidden: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Weight of positive entries in the BCE (1 = none). */
  posWeight: number;
  /** Where feature tables are cached (empty: not cached). */
  cacheDir: string;
  outDir: string;
}

export const DEFAULT_V2_CONFIG: TrainV2Config = {
  version: 2,
  featureSet: "full",
  seed: 1,
  source: "builtin",
  mixtureFamilies: [...MIXTURE_FAMILIES],
  trainSeries: 1200,
  valSeriesPerFamily: 12,
  families: { var: 1, longlag: 1, nonlinear: 1.5, nonstationary: 1, svar: 1, transformed: 1, lorenz96: 0.75, kuramoto: 0.75 },
  ranges: DEFAULT_V2_RANGES,
  rowsPerSeries: 400,
  hidden: [32, 16],
  epochs: 25,
  batchSize: 256,
  lr: 3e-3,
  weightDecay: 1e-4,
  posWeight: 1,
  cacheDir: "",
  outDir: "",
};

export function resolveV2Config(c: Partial<TrainV2Config>): TrainV2Config {
  const out = { ...DEFAULT_V2_CONFIG, ...c, ranges: { ...DEFAULT_V2_RANGES, ...c.ranges } };
  if (out.source !== "mixture" && out.source !== "builtin") throw new InputError(`lcm v2: source must be "mixture" or "builtin", got ${String(out.source)}`);
  if (out.featureSet !== "full" && out.featureSet !== "corr") throw new InputError(`lcm v2: featureSet must be "full" or "corr", got ${String(out.featureSet)}`);
  for (const k of ["trainSeries", "valSeriesPerFamily", "rowsPerSeries", "epochs", "batchSize"] as const)
    if (!Number.isInteger(out[k]) || out[k] < 1) throw new InputError(`lcm v2 config: ${k} must be an integer >= 1, got ${out[k]}`);
  return out;
}

/** Rows of a training or validation set: features `[N, F]`, labels, and which series each row is from. */
export interface RowSet {
  F: number;
  x: Float32Array;
  y: Uint8Array;
  series: Int32Array;
  family: string[];
}

/** Feature tables of `count` series from the seed stream `stream`, rows sampled to `rowsPerSeries` (0: all). */
export function buildRows(c: TrainV2Config, stream: number, count: number, rowsPerSeries: number, familyOf?: (i: number) => string, signal?: AbortSignal, onSeries?: (i: number) => void): RowSet {
  const F = featureNames(c.featureSet).length;
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  const ser: number[] = [];
  const family: string[] = [];
  for (let i = 0; i < count; i++) {
    throwIfAborted(signal);
    const seed = mix(c.seed, stream, i);
    const s =
      c.source === "mixture"
        ? sampleMixtureV2(seed, familyOf ? [familyOf(i) as MixtureFamily] : c.mixtureFamilies, c.ranges)
        : sampleV2(seed, familyOf ? { [familyOf(i)]: 1 } : c.families, c.ranges);
    const V = s.series.variables.length;
    const table = featureTable(s.series.data, s.series.length, V, s.maxLag, c.featureSet);
    const labels = labelsV2(s.truth, s.maxLag);
    const N = labels.length;
    let rows = Array.from({ length: N }, (_, k) => k);
    if (rowsPerSeries > 0 && N > rowsPerSeries) {
      const rng = mix(c.seed, stream, i, 7);
      rows = rows.map((k) => [mix(rng, k), k]).sort((a, b) => a[0] - b[0]).slice(0, rowsPerSeries).map((p) => p[1]);
    }
    for (const k of rows) {
      xs.push(table.data.subarray(k * F, (k + 1) * F));
      ys.push(labels[k]);
      ser.push(i);
    }
    family.push(s.family);
    onSeries?.(i);
  }
  const x = new Float32Array(xs.length * F);
  xs.forEach((r, k) => x.set(r, k * F));
  return { F, x, y: Uint8Array.from(ys), series: Int32Array.from(ser), family };
}

/** Mean AUROC over the series of each family (series with one class only are skipped). */
export function familyAuroc(scores: ArrayLike<number>, set: RowSet): Record<string, number> {
  const per = new Map<number, { s: number[]; y: number[] }>();
  for (let k = 0; k < set.y.length; k++) {
    const i = set.series[k];
    let g = per.get(i);
    if (!g) per.set(i, (g = { s: [], y: [] }));
    g.s.push(scores[k]);
    g.y.push(set.y[k]);
  }
  const sums: Record<string, [number, number]> = {};
  for (const [i, g] of per) {
    const pos = g.y.reduce((a, b) => a + b, 0);
    if (pos === 0 || pos === g.y.length) continue;
    const f = set.family[i];
    sums[f] ??= [0, 0];
    sums[f][0] += auroc(g.s, g.y as (0 | 1)[]);
    sums[f][1]++;
  }
  const out: Record<string, number> = {};
  for (const [f, [s, n]] of Object.entries(sums)) out[f] = s / n;
  return out;
}

const meanOf = (r: Record<string, number>): number => {
  const v = Object.values(r);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
};

/** One epoch's record in the log. */
export interface V2EpochLog {
  epoch: number;
  loss: number;
  lr: number;
  valAuroc: number;
  perFamily: Record<string, number>;
  seconds: number;
}

export interface TrainV2Result {
  model: LcmV2Model;
  log: V2EpochLog[];
  bestEpoch: number;
  bestAuroc: number;
  /** Validation AUROC of each single raw statistic (the statistics-only baseline). */
  statisticAuroc: Record<string, Record<string, number>>;
  stopped: "epochs" | "max-epochs";
}

interface Checkpoint {
  epoch: number;
  params: number[];
  m: number[];
  v: number[];
  t: number;
  best: number[];
  bestEpoch: number;
  bestAuroc: number;
  log: V2EpochLog[];
}

/** Rows `[N, F]`, standardisation from the training rows (std floored at 1e-6). */
function moments(x: Float32Array, F: number): { mean: Float64Array; std: Float64Array } {
  const N = x.length / F;
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  for (let i = 0; i < x.length; i++) mean[i % F] += x[i];
  for (let f = 0; f < F; f++) mean[f] /= N;
  for (let i = 0; i < x.length; i++) sq[i % F] += (x[i] - mean[i % F]) ** 2;
  const std = Float64Array.from(sq, (s) => Math.max(1e-6, Math.sqrt(s / N)));
  return { mean, std };
}

/** The statistics scored alone (their strength, no learning): |r|, |VAR t|, MCI -log10 p, |Spearman|. */
export const RAW_STATISTICS: Record<string, { feature: string; abs: boolean }> = {
  corr: { feature: "r", abs: true },
  varT: { feature: "varT", abs: true },
  mci: { feature: "mciLogP", abs: false },
  spearman: { feature: "spearman", abs: true },
};

/**
 * Trains a v2 model (`options.log` gets one line per epoch). With `resume`, continues from
 * `<outDir>/checkpoint-v2.json`; `maxEpochsThisRun` stops early (to resume later).
 */
export async function trainLcmV2(config: Partial<TrainV2Config>, options: { resume?: boolean; maxEpochsThisRun?: number; log?: (line: string) => void; signal?: AbortSignal } = {}): Promise<TrainV2Result> {
  const c = resolveV2Config(config);
  const log = options.log ?? (() => {});
  const fs = nodeBuiltin("node:fs/promises");
  const { join } = nodeBuiltin("node:path");
  const t0 = performance.now();
  const cached = async (name: string, make: () => RowSet): Promise<RowSet> => {
    if (!c.cacheDir) return make();
    const file = join(c.cacheDir, `lcm-v2-${name}-${mix(c.seed, c.trainSeries, c.valSeriesPerFamily, c.rowsPerSeries, hashString(JSON.stringify([c.source, c.source === "mixture" ? c.mixtureFamilies : c.families, c.ranges, c.featureSet])))}`);
    try {
      const j = JSON.parse(await fs.readFile(`${file}.json`, "utf8")) as { F: number; y: number[]; series: number[]; family: string[] };
      const b = await fs.readFile(`${file}.bin`);
      const x = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      return { F: j.F, x, y: Uint8Array.from(j.y), series: Int32Array.from(j.series), family: j.family };
    } catch {
      const set = make();
      await fs.mkdir(c.cacheDir, { recursive: true });
      await fs.writeFile(`${file}.bin`, new Uint8Array(set.x.buffer, set.x.byteOffset, set.x.byteLength));
      await fs.writeFile(`${file}.json`, JSON.stringify({ F: set.F, y: Array.from(set.y), series: Array.from(set.series), family: set.family }));
      return set;
    }
  };
  const fams: string[] = c.source === "mixture" ? c.mixtureFamilies : V2_FAMILIES.filter((f) => (c.families[f] ?? 0) > 0);
  const train = await cached(`train-${c.featureSet}`, () =>
    buildRows(c, 0, c.trainSeries, c.rowsPerSeries, undefined, options.signal, (i) => (i + 1) % 100 === 0 && log(`features: ${i + 1}/${c.trainSeries} training series, ${((performance.now() - t0) / 60000).toFixed(1)} min`)),
  );
  const val = await cached(`val-${c.featureSet}`, () => buildRows(c, 1, c.valSeriesPerFamily * fams.length, 0, (i) => fams[i % fams.length], options.signal));
  log(`features: ${train.y.length} training rows (${sum(train.y)} positive), ${val.y.length} validation rows, ${((performance.now() - t0) / 60000).toFixed(1)} min`);

  const F = train.F;
  const sizes = [F, ...c.hidden, 1];
  const { mean, std } = moments(train.x, F);
  const xTrain = standardize(train.x, mean, std);
  const statisticAuroc: Record<string, Record<string, number>> = {};
  const names = featureNames(c.featureSet);
  for (const [stat, { feature, abs }] of Object.entries(RAW_STATISTICS)) {
    const f = names.indexOf(feature);
    if (f < 0) continue;
    statisticAuroc[stat] = familyAuroc(Array.from({ length: val.y.length }, (_, k) => (abs ? Math.abs(val.x[k * F + f]) : val.x[k * F + f])), val);
  }

  let params = initParams(sizes, mix(c.seed, 11));
  let adam: AdamState = { m: new Float64Array(params.length), v: new Float64Array(params.length), t: 0 };
  let best = params.slice();
  let bestEpoch = 0;
  let bestAuroc = -1;
  let history: V2EpochLog[] = [];
  let start = 0;
  const ckptFile = join(c.outDir, "checkpoint-v2.json");
  if (options.resume) {
    const ck = JSON.parse(await fs.readFile(ckptFile, "utf8").catch(() => "null")) as Checkpoint | null;
    if (ck) {
      params = Float64Array.from(ck.params);
      adam = { m: Float64Array.from(ck.m), v: Float64Array.from(ck.v), t: ck.t };
      best = Float64Array.from(ck.best);
      ({ bestEpoch, bestAuroc } = ck);
      history = ck.log;
      start = ck.epoch;
      log(`resumed after epoch ${start}`);
    }
  }
  const N = train.y.length;
  const grad = new Float64Array(params.length);
  const order = new Int32Array(N);
  let ran = 0;
  for (let epoch = start + 1; epoch <= c.epochs; epoch++) {
    if (options.maxEpochsThisRun !== undefined && ran >= options.maxEpochsThisRun) break;
    throwIfAborted(options.signal);
    const te = performance.now();
    const lr = c.lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / c.epochs)); // cosine decay
    for (let i = 0; i < N; i++) order[i] = i;
    shuffle(order, mix(c.seed, 21, epoch));
    let lossSum = 0;
    let batches = 0;
    const xb = new Float64Array(c.batchSize * F);
    const yb = new Float64Array(c.batchSize);
    for (let b = 0; b < N; b += c.batchSize) {
      const n = Math.min(c.batchSize, N - b);
      for (let r = 0; r < n; r++) {
        const k = order[b + r];
        for (let f = 0; f < F; f++) xb[r * F + f] = xTrain[k * F + f];
        yb[r] = train.y[k];
      }
      lossSum += lossAndGrad(sizes, params, xb.subarray(0, n * F), yb.subarray(0, n), n, c.posWeight, grad);
      adamStep(params, grad, adam, lr, c.weightDecay);
      batches++;
    }
    const model = new LcmV2Model(c.featureSet, sizes, mean, std, params, { maxLag: c.ranges.maxLag, maxVars: c.ranges.maxVars, minLength: c.ranges.minLength });
    const perFamily = familyAuroc(model.logits({ V: 0, L: 0, T: 0, names, data: val.x, varFallback: false }), val);
    const valAuroc = meanOf(perFamily);
    const entry: V2EpochLog = { epoch, loss: lossSum / batches, lr, valAuroc, perFamily, seconds: (performance.now() - te) / 1000 };
    history.push(entry);
    if (valAuroc > bestAuroc) {
      bestAuroc = valAuroc;
      bestEpoch = epoch;
      best = params.slice();
    }
    log(`epoch ${epoch}/${c.epochs}: loss ${entry.loss.toFixed(4)}, val AUROC ${valAuroc.toFixed(4)} (${Object.entries(perFamily).map(([f, a]) => `${f} ${a.toFixed(3)}`).join(", ")}), lr ${lr.toExponential(2)}, ${entry.seconds.toFixed(1)} s`);
    ran++;
    if (c.outDir) {
      const ck: Checkpoint = { epoch, params: Array.from(params), m: Array.from(adam.m), v: Array.from(adam.v), t: adam.t, best: Array.from(best), bestEpoch, bestAuroc, log: history };
      await fs.mkdir(c.outDir, { recursive: true });
      await fs.writeFile(ckptFile, JSON.stringify(ck));
    }
  }
  const done = history.length >= c.epochs;
  const model = new LcmV2Model(c.featureSet, sizes, mean, std, best, { maxLag: c.ranges.maxLag, maxVars: c.ranges.maxVars, minLength: c.ranges.minLength });
  const meta = { config: c, bestEpoch, bestAuroc, perFamily: history.find((h) => h.epoch === bestEpoch)?.perFamily ?? {}, statisticAuroc, trainRows: N, minutes: (performance.now() - t0) / 60000 };
  if (c.outDir && done) {
    await fs.writeFile(join(c.outDir, "model.json"), JSON.stringify(model.toJson(meta)) + "\n");
    await fs.writeFile(join(c.outDir, "training.json"), JSON.stringify({ log: history, statisticAuroc, bestEpoch, bestAuroc }, null, 1) + "\n");
  }
  return { model, log: history, bestEpoch, bestAuroc, statisticAuroc, stopped: done ? "epochs" : "max-epochs" };
}

function sum(y: Uint8Array): number {
  let s = 0;
  for (const v of y) s += v;
  return s;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Fisher-Yates shuffle in place from a 32-bit seed (xorshift32). */
function shuffle(a: Int32Array, seed: number): void {
  let s = seed || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
