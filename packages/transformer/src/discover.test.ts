import { AbortError, InputError, Rng, type ProgressEvent, type TimeSeries } from "@causeway/core";
import { describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { fitTransformer, transformerMethod } from "./discover.js";
import { normalizePerEffect } from "./gradient.js";

await probeBackends(["wasm"]);

/**
 * A planted nonlinear SCM on 3 variables with known lags (effect <- cause @ lag):
 * b <- a @ 2 (sine), c <- b @ 1 (tanh), c <- a @ 1 (quadratic: invisible to correlation); a is white noise.
 */
function planted(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const V = 3;
  const burn = 10;
  const x = new Float64Array((T + burn) * V);
  for (let t = 0; t < T + burn; t++) {
    const past = (l: number, v: number): number => (t >= l ? x[(t - l) * V + v] : 0);
    x[t * V] = rng.normal();
    x[t * V + 1] = Math.sin(1.5 * past(2, 0)) + 0.3 * rng.normal();
    x[t * V + 2] = Math.tanh(2 * past(1, 1)) + 0.4 * past(1, 0) ** 2 - 0.4 + 0.3 * rng.normal();
  }
  return { variables: ["a", "b", "c"], data: x.slice(burn * V), length: T };
}

/** True (cause, lag) of effects b (1) and c (2); a (0) has no causes (its scores are noise). */
const TRUTH: Record<number, [number, number][]> = { 1: [[0, 2]], 2: [[1, 1], [0, 1]] };

/** A small, quickly trained model (the defaults are sized for V = 10, T = 1000). */
const FAST = { dModel: 16, heads: 2, ffHidden: 32, epochs: 20, batchSize: 32, learningRate: 0.01, samples: 256 };

const series = planted(1000, 1);

describeBackends("transformer method", ["wasm"], (backend) => {
  it("gradient read-out: each effect's true causes outrank its other (cause, lag) pairs, lags included", async () => {
    const g = await transformerMethod.discover(series, { maxLag: 3, backend, seed: 0, params: { ...FAST, readout: "gradient" } });
    expect(g.meta.backend).toBe(backend);
    expect(g.meta.lagResolved).toBe(true);
    // every planted (effect, cause, lag) of b and c outranks every other triple of theirs
    const trueScores: number[] = [];
    const falseScores: number[] = [];
    for (const [effect, causes] of Object.entries(TRUTH))
      g.scores[Number(effect)].forEach((lags, c) => lags.forEach((s, i) => (causes.some(([tc, tl]) => tc === c && tl === i + 1) ? trueScores : falseScores).push(s)));
    expect(trueScores).toHaveLength(3);
    expect(Math.min(...trueScores)).toBeGreaterThan(Math.max(...falseScores));
    // normalise "global" (the default): the causeless effect a's spurious scores stay below every planted edge too
    // (normalised per effect, a's strongest spurious cause would score 1)
    expect(Math.max(...g.scores[0].flat())).toBeLessThan(Math.min(...trueScores));
    expect(Math.max(...g.scores.flat(2))).toBeCloseTo(1, 12);
    // and the planted edges are in the thresholded list
    const found = new Set(g.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`));
    for (const e of ["a->b@2", "b->c@1", "a->c@1"]) expect(found.has(e), e).toBe(true);
  }, 60_000);

  it("default learnt highway: a long-lag linear VAR's parents outrank every other (cause, lag), which the transformer alone misses", async () => {
    // b <- a @ 5, c <- b @ 1 and c <- c @ 2, linear; T = 400, maxLag 6
    const rng = new Rng(4);
    const T = 400;
    const x = new Float64Array(T * 3);
    for (let t = 0; t < T; t++) {
      const past = (l: number, v: number): number => (t >= l ? x[(t - l) * 3 + v] : 0);
      x[t * 3] = rng.normal();
      x[t * 3 + 1] = 0.8 * past(5, 0) + 0.5 * rng.normal();
      x[t * 3 + 2] = 0.6 * past(1, 1) - 0.4 * past(2, 2) + 0.5 * rng.normal();
    }
    const s: TimeSeries = { variables: ["a", "b", "c"], data: x, length: T };
    const truth = new Set(["1,0,5", "2,1,1", "2,2,2"]);
    const gap = async (params: Record<string, unknown>) => {
      const g = await transformerMethod.discover(s, { maxLag: 6, backend, seed: 0, checks: false, params: { ...FAST, ...params } });
      const [pos, neg]: number[][] = [[], []];
      for (const e of [1, 2]) g.scores[e].forEach((lags, c) => lags.forEach((v, i) => (truth.has(`${e},${c},${i + 1}`) ? pos : neg).push(v)));
      return Math.min(...pos) - Math.max(...neg); // > 0: every parent above every non-parent
    };
    const learnt = await gap({});
    const none = await gap({ highway: "none" });
    console.log(`long-lag VAR, weakest parent minus strongest non-parent: learnt highway ${learnt.toFixed(3)}, none ${none.toFixed(3)}`);
    expect(learnt).toBeGreaterThan(0.2);
    expect(learnt).toBeGreaterThan(none + 0.1);
  }, 60_000);

  it("attention read-out: summary scores rank each effect's causes first", async () => {
    const g = await transformerMethod.discover(series, { maxLag: 3, backend, seed: 0, params: { ...FAST, readout: "attention" } });
    expect(g.meta.lagResolved).toBe(false);
    const summary = (e: number, c: number) => g.scores[e][c][0];
    for (const e of [1, 2]) for (let l = 1; l < 3; l++) for (let c = 0; c < 3; c++) expect(g.scores[e][c][l]).toBe(summary(e, c)); // repeated across lags
    expect(summary(1, 0)).toBeGreaterThan(Math.max(summary(1, 1), summary(1, 2)));
    expect(Math.min(summary(2, 0), summary(2, 1))).toBeGreaterThan(summary(2, 2));
  }, 60_000);

  it("is deterministic with a seed; an ensemble averages its members' normalised scores", async () => {
    const tiny = { ...FAST, epochs: 2, samples: 64 };
    const s = planted(200, 2);
    const a = await fitTransformer(s, { ...tiny, maxLag: 2, seed: 0 });
    const b = await fitTransformer(s, { ...tiny, maxLag: 2, seed: 0 });
    const c = await fitTransformer(s, { ...tiny, maxLag: 2, seed: 1 });
    expect(maxAbsDiff(a.scores, b.scores)).toBe(0);
    expect(maxAbsDiff(a.scores, c.scores)).toBeGreaterThan(1e-3);
    const both = await fitTransformer(s, { ...tiny, maxLag: 2, seed: 0, ensemble: 2 });
    expect(both.histories).toHaveLength(2);
    expect(maxAbsDiff(both.scores, a.scores.map((x, i) => (x + c.scores[i]) / 2))).toBeLessThan(1e-12);
    // normalise "effect": the same model's scores, each effect's row divided by its largest
    const perEffect = await fitTransformer(s, { ...tiny, maxLag: 2, seed: 0, normalise: "effect" });
    expect(maxAbsDiff(perEffect.scores, normalizePerEffect(a.scores, 3, 2))).toBeLessThan(1e-12);
    expect(Math.max(...perEffect.scores.subarray(0, 6))).toBeCloseTo(1, 12);
    await expect(fitTransformer(s, { ...tiny, maxLag: 2, normalise: "row" as never })).rejects.toThrow(/normalise must be one of global, effect/);
  }, 60_000);

  it("scores every attribution rule from the same models, and reports progress up to done", async () => {
    const events: ProgressEvent[] = [];
    const fit = await fitTransformer(planted(200, 3), { ...FAST, epochs: 2, samples: 64, maxLag: 2, rules: ["gradient", "lrp"], onProgress: (e) => events.push(e) });
    expect(Object.keys(fit.byRule!).sort()).toEqual(["gradient", "gradxinput", "lrp"]);
    expect(fit.scores).toBe(fit.byRule!.gradxinput);
    for (const s of Object.values(fit.byRule!)) expect(Math.max(...s)).toBeCloseTo(1, 12); // normalised: the largest score is 1
    expect(events.map((e) => e.stage)).toContain("attribute");
    expect(events.at(-1)).toMatchObject({ stage: "done", fraction: 1 });
    for (let i = 1; i < events.length; i++) expect(events[i].fraction).toBeGreaterThanOrEqual(events[i - 1].fraction);
  }, 60_000);

  it("adaptiveNoise: input noise down to a linear autoregression's residual sd on near-deterministic series only", async () => {
    const rng = new Rng(4);
    const T = 400;
    const x = new Float64Array(T * 2); // [T, 2]: two sinusoids with 1% noise
    for (let t = 0; t < T; t++) [x[2 * t], x[2 * t + 1]] = [Math.sin(0.3 * t) + 0.01 * rng.normal(), Math.cos(0.2 * t + 1) + 0.01 * rng.normal()];
    const smooth: TimeSeries = { variables: ["s", "c"], length: T, data: x };
    const quick = { ...FAST, epochs: 1, samples: 16, maxLag: 2, seed: 0 };
    const fit = await fitTransformer(smooth, quick);
    expect(fit.inputNoise).toBeGreaterThan(0.005); // the AR(2) residual: about 0.014 (noise in z units) x sqrt(1 + a1² + a2²)
    expect(fit.inputNoise).toBeLessThan(0.05);
    expect((await fitTransformer(smooth, { ...quick, adaptiveNoise: false })).inputNoise).toBe(0.2);
    expect((await fitTransformer(planted(200, 2), quick)).inputNoise).toBe(0.2); // residual sd ~0.7 > 0.2: unchanged
  }, 60_000);

  it("honours an AbortSignal", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(transformerMethod.discover(series, { maxLag: 2, backend, signal: ac.signal, params: FAST })).rejects.toThrow(AbortError);
  });

  it("rejects bad params with InputErrors", async () => {
    const bad: Record<string, unknown>[] = [
      { readout: "saliency" },
      { rule: "shap" },
      { ensemble: 0 },
      { ensemble: 1.5 },
      { heads: 3 }, // does not divide dModel 32
      { window: 2 }, // shorter than maxLag 3
      { learningRate: 0 },
      { inputNoise: -1 },
      { highway: "quadratic" },
      { bogus: 1 },
    ];
    for (const params of bad) await expect(transformerMethod.discover(series, { maxLag: 3, backend, params }), JSON.stringify(params)).rejects.toThrow(InputError);
  });
});
