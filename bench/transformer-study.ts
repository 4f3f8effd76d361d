// Tuning study of the transformer's read-out and training (issue 20, third round): every variant on
// the transformer bench's families at tuning seeds (never the bench's 0 and 1), each fit scored under
// several per-effect normalisations of the same attributions. One line of JSON per (family, seed,
// variant) with AUROC per normalisation, per-effect residual sds and epochs; then a table of means.
// Run: cd bench && node --conditions=@causeway/source --import tsx transformer-study.ts \
//   '{"default":{},"small":{"dModel":16,"ffHidden":32}}' "heteroscedastic,lags up to 8" 10 4
import "@causeway/backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { Rng, useBackend, validTargetRows, zscore, type CausalGraph, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { ALL_METHODS } from "@causeway/methods";
import { generateLorenz96 } from "@causeway/synth";
import { CausalTransformer, gradientAttributions, TRANSFORMER_DEFAULTS, trainPredictor, windows, type TransformerParams } from "@causeway/transformer";
import { prepareData, type MemberSettings } from "../packages/transformer/src/members.js";
import { HARD, scalingData, type Data } from "./src/suites/transformer.js";

const [variantsJson, familyList, firstSeed = "10", countArg = "2", classicalArg = "1"] = process.argv.slice(2);
const variants = JSON.parse(variantsJson) as Record<string, Partial<TransformerParams>>;
const first = Number(firstSeed);
const count = Number(countArg);
await useBackend("wasm");

const FAMILIES: { name: string; make(seed: number): Data }[] = [
  ...HARD,
  { name: "homogeneous x1", make: (seed) => scalingData(seed, 1, false) },
  { name: "heterogeneous x4", make: (seed) => scalingData(seed, 4, true) },
  { name: "Lorenz-96 V=10 F=10", make: (seed) => ({ ...generateLorenz96({ vars: 10, length: 1000, forcing: 10, seed }), maxLag: 3 }) },
];
const wanted = familyList.split(",");
const families = FAMILIES.filter((f) => wanted.some((w) => f.name.includes(w)));

function auroc(d: Data, scores: Float64Array, V: number, L: number): number {
  return graphScore(d, scores, V, L).auroc;
}

/** AUROC (lagged, or summary for a summary truth) and F1 at `threshold` of scores divided by their global max. */
function graphScore(d: Data, scores: Float64Array, V: number, L: number, threshold = 1) {
  let top = 0;
  for (const s of scores) top = Math.max(top, s);
  const nested = Array.from({ length: V }, (_, e) => Array.from({ length: V }, (_, c) => Array.from(scores.subarray((e * V + c) * L, (e * V + c + 1) * L), (x) => (top > 0 ? x / top : 0))));
  const graph = { format: "causeway.graph/v1", variables: d.series.variables, maxLag: L, method: "study", scores: nested, edges: [], threshold, meta: {} } as unknown as CausalGraph;
  const s = scoreGraph(d.truth, graph, { threshold });
  return { auroc: (d.truth.summaryOnly ? s.aurocSummary : s.aurocLagged) ?? NaN, f1: (d.truth.summaryOnly ? s.f1Summary : s.f1) ?? NaN };
}

/** Per-effect divisors -> normalised copy; `max` divides by each effect's largest score. */
function perEffect(raw: Float64Array, V: number, L: number, divisor: (e: number, row: Float64Array) => number): Float64Array {
  const out = new Float64Array(raw.length);
  for (let e = 0; e < V; e++) {
    const row = raw.subarray(e * V * L, (e + 1) * V * L);
    const d = divisor(e, row);
    for (let i = 0; i < row.length; i++) out[e * V * L + i] = d > 0 ? row[i] / d : 0;
  }
  return out;
}

/** Residual sd per effect of the model on windows [from, to) (clean inputs). */
function residualSd(model: CausalTransformer, x: Float32Array, y: Float32Array, from: number, to: number, W: number, V: number): Float64Array {
  const n = to - from;
  const out = new Float64Array(V);
  const t = tf.tidy(() => {
    const xb = tf.tensor3d(x.subarray(from * W * V, to * W * V), [n, W, V]);
    const yb = tf.tensor2d(y.subarray(from * V, to * V), [n, V]);
    return tf.mean(tf.square(tf.sub(model.forward(xb).prediction, yb)), 0);
  });
  const v = t.dataSync();
  t.dispose();
  for (let e = 0; e < V; e++) out[e] = Math.sqrt(v[e]);
  return out;
}

async function fitOnce(series: TimeSeries, maxLag: number, p: Partial<TransformerParams>) {
  const s = { ...TRANSFORMER_DEFAULTS, ...p };
  const settings: MemberSettings = { ...s, rules: ["gradxinput", "energy", "net"], maxLag, seed: 0 } as MemberSettings;
  const data = prepareData(series, settings);
  const { V, W } = data;
  const rng = new Rng(0);
  const train = { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, patience: s.earlyStop ? s.patience : s.epochs, validationFraction: s.validationFraction, inputNoise: data.inputNoise, seed: rng.int(2 ** 31) };
  const model = new CausalTransformer(data.config, rng.int(2 ** 31));
  const X = tf.tensor3d(data.xs, [data.samples, W, V]);
  try {
    if (data.highwayWeights) model.setHighway(data.highwayWeights);
    const history = await trainPredictor(model, W, series, train);
    const raw = gradientAttributions(model, X, { maxLag, rules: ["gradxinput", "energy", "net"] });
    const z = zscore(series).series;
    const win = windows(z.data, z.length, V, W, validTargetRows(series, W));
    const nVal = Math.max(1, Math.round(win.n * s.validationFraction));
    const sdVal = residualSd(model, win.x, win.y, win.n - nVal, win.n, W, V);
    const sdAll = residualSd(model, win.x, win.y, 0, win.n, W, V);
    return { raw, sdVal, sdAll, V, history, inputNoise: data.inputNoise };
  } finally {
    model.dispose();
    X.dispose();
  }
}

const table: Record<string, Record<string, number[]>> = {};
const add = (fam: string, key: string, v: number) => ((table[fam] ??= {})[key] ??= []).push(v);
for (const fam of families)
  for (let seed = first; seed < first + count; seed++) {
    const d = fam.make(seed);
    const L = d.maxLag;
    if (classicalArg === "1")
      for (const name of ["var", "pcmci"]) {
        const m = ALL_METHODS.find((x) => x.name === name)!;
        const g = await m.discover(d.series, { maxLag: L, seed: 0 });
        const s = scoreGraph(d.truth, g);
        add(fam.name, name, (d.truth.summaryOnly ? s.aurocSummary : s.aurocLagged) ?? NaN);
      }
    for (const [label, p] of Object.entries(variants)) {
      const t0 = performance.now();
      const f = await fitOnce(d.series, L, p);
      const seconds = (performance.now() - t0) / 1000;
      const V = f.V;
      const gx = f.raw.gradxinput;
      const res: Record<string, number> = {
        max: auroc(d, perEffect(gx, V, L, (_, row) => Math.max(...row)), V, L),
        raw: auroc(d, gx, V, L),
        sdVal: auroc(d, perEffect(gx, V, L, (e) => f.sdVal[e]), V, L),
        sdAll: auroc(d, perEffect(gx, V, L, (e) => f.sdAll[e]), V, L),
        energyMax: auroc(d, perEffect(f.raw.energy, V, L, (_, row) => Math.max(...row)), V, L),
        energySd: auroc(d, perEffect(f.raw.energy, V, L, (e) => f.sdVal[e]), V, L),
        netMax: auroc(d, perEffect(f.raw.net, V, L, (_, row) => Math.max(...row)), V, L),
        netRaw: auroc(d, f.raw.net, V, L),
        f1max: graphScore(d, perEffect(gx, V, L, (_, row) => Math.max(...row)), V, L, 0.3).f1,
        f1net: graphScore(d, f.raw.net, V, L, 0.3).f1,
        f1raw: graphScore(d, gx, V, L, 0.3).f1,
        f1raw2: graphScore(d, gx, V, L, 0.2).f1,
      };
      for (const [k, v] of Object.entries(res)) add(fam.name, `${label}:${k}`, v);
      console.log(JSON.stringify({ family: fam.name, seed, variant: label, ...Object.fromEntries(Object.entries(res).map(([k, v]) => [k, +v.toFixed(4)])), residualSd: Array.from(f.sdVal, (x) => +x.toFixed(3)), epochs: f.history.epochs, best: f.history.bestEpoch, noise: +f.inputNoise.toFixed(3), seconds: +seconds.toFixed(1) }));
    }
  }
console.log("\n| family | " + Object.keys(Object.values(table)[0] ?? {}).join(" | ") + " |");
for (const [fam, cols] of Object.entries(table)) console.log(`| ${fam} | ${Object.values(cols).map((v) => (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)).join(" | ")} |`);
