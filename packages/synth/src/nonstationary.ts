import { InputError, Rng } from "@causeway/core";
import { assertFinite, checkInt, checkLength, checkNumber, checkSeed, makeSeries, type Generated } from "./options.js";
import { varSpectralRadius } from "./linalg.js";
import { noiseSource } from "./noise.js";
import { generateVar, type VarOptions } from "./var.js";

export interface NonstationaryOptions extends Omit<VarOptions, "burnIn" | "parents"> {
  /**
   * Deterministic drift: each variable gets a linear trend of `±U[0.5, 1.5] · trend` of its own
   * standard deviation over the whole series. Default 3.
   */
  trend?: number;
  /** Stochastic drift: a random walk with steps `walk · sd / sqrt(T)`-ish (see below). Default 2. */
  walk?: number;
  /** Where the regime switches, as a fraction of the series (in (0, 1)). Default 0.5. */
  switchAt?: number;
  /** Level shift at the switch: `±U[0.5, 1.5] · shift` standard deviations. Default 2. */
  shift?: number;
  /** After the switch each variable's innovations are scaled by `U[1, noiseRatio]`. Default 3. */
  noiseRatio?: number;
  /** Seasonal drift: a sinusoid of amplitude `seasonal` standard deviations, period `U[T/20, T/4]`. Default 0. */
  seasonal?: number;
  /**
   * Regime switch in the coupling: after the switch every coefficient is multiplied by
   * `U[1 - couplingSwitch, 1 + couplingSwitch]` (in [0, 0.9]; signs and the graph are kept, then
   * shrunk to stay stable). Default 0 (the coupling never changes).
   */
  couplingSwitch?: number;
}

export interface NonstationaryResult extends Generated {
  /** The stable VAR's coefficients `[maxLag, V, V]` (`[lag - 1][effect][cause]`), as `generateVar`. */
  coefficients: Float64Array;
  /** First row of the second regime. */
  switchRow: number;
  /** The VAR part alone `[T, V]`, before drift and shift are added. */
  stationary: Float64Array;
  /** The coefficients of the second regime `[maxLag, V, V]` (equal to `coefficients` without `couplingSwitch`). */
  coefficientsAfter: Float64Array;
}

const WHERE = "generateNonstationary";

/**
 * A stable sparse VAR (as `generateVar`, same truth) observed through drift and a regime switch,
 * the nonstationarities of real recordings (sensor drift, a changed operating point):
 *
 *   y_i(t) = x_i(t) + sd_i · (a_i · t / T + walk_i(t) + s_i · 1[t >= switchRow] + seasonal · sin(2π t / P_i + φ_i)),
 *   x(t) = Σ_l A_l(t) x(t - l) + D(t) e(t),  D(t) = I before the switch, diag(U[1, noiseRatio]) after,
 *   A_l(t) = A_l before the switch, A_l ∘ U[1 ± couplingSwitch] (same graph and signs) after,
 *
 * with sd_i the sample sd of the first regime's x_i, `a_i = ±U[0.5, 1.5] · trend`,
 * `walk_i` a Gaussian random walk with step sd `walk / sqrt(T)` (so it wanders about `walk` over
 * the series) and `s_i = ±U[0.5, 1.5] · shift`. Drift and shift are added to what is observed and
 * the coefficients change size but never support, so the lagged truth is the VAR's at every row.
 * The innovations take `generateVar`'s noise options (`noiseDistribution`, `heteroscedastic`).
 *
 * @example
 * const { series, truth, switchRow } = generateNonstationary({ vars: 5, length: 1000, seed: 1 });
 */
export function generateNonstationary(options: NonstationaryOptions): NonstationaryResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const maxLag = checkInt(WHERE, "maxLag", options.maxLag ?? 3, 1, 1000);
  const T = checkLength(WHERE, options.length, maxLag);
  const trend = checkNumber(WHERE, "trend", options.trend ?? 3, 0);
  const walk = checkNumber(WHERE, "walk", options.walk ?? 2, 0);
  const switchAt = checkNumber(WHERE, "switchAt", options.switchAt ?? 0.5, 0, 1, true);
  if (switchAt >= 1) throw new InputError(`${WHERE}: option "switchAt" must be < 1, got ${switchAt}`, { column: "switchAt" });
  const shift = checkNumber(WHERE, "shift", options.shift ?? 2, 0);
  const noiseRatio = checkNumber(WHERE, "noiseRatio", options.noiseRatio ?? 3, 1);
  const seed = checkSeed(WHERE, options.seed ?? 0);
  const noise = checkNumber(WHERE, "noise", options.noise ?? 1, 0, Infinity, true);
  const seasonal = checkNumber(WHERE, "seasonal", options.seasonal ?? 0, 0);
  const couplingSwitch = checkNumber(WHERE, "couplingSwitch", options.couplingSwitch ?? 0, 0, 0.9);

  // the structure and coefficients of generateVar with this seed (they do not depend on the length)
  const { truth, coefficients } = generateVar({ ...options, vars: V, maxLag, length: maxLag + 2, seed });
  const rng = new Rng(seed).fork().fork().fork(); // a stream of its own, apart from generateVar's two
  const switchRow = Math.min(T - 1, Math.max(1, Math.round(switchAt * T)));
  const ratio = Float64Array.from({ length: V }, () => rng.range(1, noiseRatio));
  // the options added later draw from a fourth stream, so the defaults keep the old numbers
  const extraRng = new Rng(seed).fork().fork().fork().fork();
  const after = coefficients.map((a) => (a === 0 ? 0 : a * extraRng.range(1 - couplingSwitch, 1 + couplingSwitch)));
  const target = options.maxSpectralRadius ?? 0.95;
  while (couplingSwitch > 0 && varSpectralRadius(after, V, maxLag) > target) for (let k = 0; k < after.length; k++) after[k] *= 0.97;

  const burnIn = 200;
  const total = burnIn + T;
  const shocks = noiseSource(WHERE, options, noise, V, total, extraRng, rng);
  const x = new Float64Array(total * V); // [burnIn + T, V]
  for (let t = 0; t < total; t++) {
    const scale = t - burnIn >= switchRow;
    const A = scale ? after : coefficients;
    for (let e = 0; e < V; e++) {
      let value = shocks.draw(e, t, t > 0 ? x[(t - 1) * V + e] : 0) * (scale ? ratio[e] : 1);
      for (let l = 1; l <= maxLag && l <= t; l++) {
        const row = ((l - 1) * V + e) * V;
        for (let c = 0; c < V; c++) {
          const a = A[row + c];
          if (a !== 0) value += a * x[(t - l) * V + c];
        }
      }
      x[t * V + e] = value;
    }
  }
  const stationary = x.slice(burnIn * V); // [T, V]
  const sd = new Float64Array(V);
  for (let e = 0; e < V; e++) {
    let m = 0;
    let s = 0;
    for (let t = 0; t < switchRow; t++) m += stationary[t * V + e];
    m /= switchRow;
    for (let t = 0; t < switchRow; t++) s += (stationary[t * V + e] - m) ** 2;
    sd[e] = Math.sqrt(s / switchRow) || 1;
  }
  const sign = (): number => (rng.bernoulli(0.5) ? 1 : -1);
  const slope = Float64Array.from({ length: V }, () => sign() * rng.range(0.5, 1.5) * trend);
  const level = Float64Array.from({ length: V }, () => sign() * rng.range(0.5, 1.5) * shift);
  const step = walk / Math.sqrt(T);
  const period = Float64Array.from({ length: V }, () => T * extraRng.range(0.05, 0.25));
  const phase = Float64Array.from({ length: V }, () => extraRng.range(0, 2 * Math.PI));
  const w = new Float64Array(V);
  const data = new Float64Array(T * V);
  for (let t = 0; t < T; t++)
    for (let e = 0; e < V; e++) {
      w[e] += step * rng.normal();
      const k = t * V + e;
      const season = seasonal * Math.sin((2 * Math.PI * t) / period[e] + phase[e]);
      data[k] = stationary[k] + sd[e] * ((slope[e] * t) / T + w[e] + (t >= switchRow ? level[e] : 0) + season);
    }
  assertFinite(WHERE, data);
  return { series: makeSeries(V, T, data), truth, coefficients, switchRow, stationary, coefficientsAfter: after };
}
