import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { leastSquaresHighway, linearResidualSd, RIDGE_GRID, ridgeHighway } from "./highway.js";
import { CausalTransformer } from "./model.js";

await probeBackends(CPU_BACKENDS);

describe("leastSquaresHighway", () => {
  it("recovers the coefficients of a noise-free linear map, and the OLS solution with noise", () => {
    const rng = new Rng(3);
    const [n, p, V] = [200, 6, 2];
    const A = Float64Array.from({ length: p * V }, () => rng.normal()); // [p, V]
    const x = Float32Array.from({ length: n * p }, () => rng.normal());
    const y = new Float32Array(n * V);
    for (let r = 0; r < n; r++) for (let v = 0; v < V; v++) for (let i = 0; i < p; i++) y[r * V + v] += x[r * p + i] * A[i * V + v];
    expect(maxAbsDiff(leastSquaresHighway(x, y, n, p, V), A)).toBeLessThan(1e-5);
    // with noise: the residual is orthogonal to every input column (the normal equations)
    const noisy = y.map((v) => v + 0.5 * rng.normal());
    const B = leastSquaresHighway(x, noisy, n, p, V);
    for (let v = 0; v < V; v++)
      for (let i = 0; i < p; i++) {
        let dot = 0;
        for (let r = 0; r < n; r++) {
          let fit = 0;
          for (let j = 0; j < p; j++) fit += x[r * p + j] * B[j * V + v];
          dot += x[r * p + i] * (noisy[r * V + v] - fit);
        }
        expect(Math.abs(dot)).toBeLessThan(1e-3);
      }
  });

  it("stays finite on duplicated (collinear) inputs and rejects empty input", () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => Math.floor(i / 2)); // rows [k, k]: both columns equal
    const y = Float32Array.from({ length: 20 }, (_, r) => 2 * r);
    const a = leastSquaresHighway(x, y, 20, 2, 1);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(a[0] + a[1]).toBeCloseTo(2, 5);
    expect(() => leastSquaresHighway(x, y, 0, 2, 1)).toThrow(InputError);
  });

  it("linearResidualSd: the innovation sd of an AR(1) in z-score units, NaN without spare windows", () => {
    // x_t = 0.9 x_{t-1} + e_t, e ~ N(0, 1): sd(x) = 1 / sqrt(1 - 0.81), so the innovation is sqrt(0.19) = 0.436 sd of x
    const rng = new Rng(5);
    const T = 4000;
    const raw = new Float64Array(T);
    for (let t = 1; t < T; t++) raw[t] = 0.9 * raw[t - 1] + rng.normal();
    let [m, s2] = [0, 0];
    for (const v of raw) m += v / T;
    for (const v of raw) s2 += (v - m) ** 2 / T;
    const z = raw.map((v) => (v - m) / Math.sqrt(s2));
    const n = T - 2; // windows of 2 steps: x = [z_{t-2}, z_{t-1}], y = z_t
    const x = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) [x[2 * r], x[2 * r + 1], y[r]] = [z[r], z[r + 1], z[r + 2]];
    expect(linearResidualSd(x, y, n, 2, 1)).toBeCloseTo(Math.sqrt(0.19), 1.5); // within 0.016
    expect(linearResidualSd(x, y, 2, 2, 1)).toBeNaN();
  });
});

describe("ridgeHighway", () => {
  const rng = new Rng(7);
  const [n, p] = [300, 6];
  const x = Float32Array.from({ length: n * p }, () => rng.normal()); // [n, p]
  const A = [1, -0.5, 0, 0, 0.8, 0]; // one output

  it("keeps least squares where the data support it and shrinks a fit to pure noise towards zero", () => {
    const y = new Float32Array(n * 2); // output 0: x A + noise 0.5; output 1: noise only
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < p; i++) y[r * 2] += x[r * p + i] * A[i];
      y[r * 2] += 0.5 * rng.normal();
      y[r * 2 + 1] = rng.normal();
    }
    const ols = leastSquaresHighway(x, y, n, p, 2);
    const ridge = ridgeHighway(x, y, n, p, 2);
    expect(ridge.lambda[0]).toBeLessThan(0.05); // at most a few % of the mean diagonal
    expect(ridge.dof[0]).toBeGreaterThan(5.5);
    for (let i = 0; i < p; i++) expect(Math.abs(ridge.weights[i * 2] - ols[i * 2])).toBeLessThan(0.02);
    const norm = (w: Float64Array, v: number) => Math.hypot(...Array.from({ length: p }, (_, i) => w[i * 2 + v]));
    expect(ridge.lambda[1]).toBeGreaterThan(ridge.lambda[0]);
    expect(ridge.dof[1]).toBeLessThan(3);
    expect(norm(ridge.weights, 1)).toBeLessThan(0.5 * norm(ols, 1));
    expect(RIDGE_GRID).toContain(ridge.lambda[1]);
  });

  it("picks the penalty of smallest GCV, against a direct 2-input computation of every grid point", () => {
    // two correlated inputs (correlation ~0.95), a weak target: GCV shrinks, and its choice must match the brute force
    const m = 120;
    const xc = new Float32Array(m * 2);
    const y = new Float32Array(m);
    for (let r = 0; r < m; r++) {
      const u = rng.normal();
      [xc[2 * r], xc[2 * r + 1]] = [u, u + 0.3 * rng.normal()];
      y[r] = 0.2 * xc[2 * r] + rng.normal();
    }
    let [g00, g01, g11, b0, b1] = [0, 0, 0, 0, 0];
    for (let r = 0; r < m; r++) {
      const [u, w] = [xc[2 * r], xc[2 * r + 1]];
      [g00, g01, g11, b0, b1] = [g00 + u * u, g01 + u * w, g11 + w * w, b0 + u * y[r], b1 + w * y[r]];
    }
    const scale = (g00 + g11) / 2;
    let best = { gcv: Infinity, k: 0, a: [0, 0] };
    for (const k of RIDGE_GRID) {
      const lam = k * scale;
      const det = (g00 + lam) * (g11 + lam) - g01 * g01;
      const inv = [(g11 + lam) / det, -g01 / det, (g00 + lam) / det]; // (G + λI)⁻¹, symmetric
      const a = [inv[0] * b0 + inv[1] * b1, inv[1] * b0 + inv[2] * b1];
      const dof = inv[0] * g00 + 2 * inv[1] * g01 + inv[2] * g11; // tr((G + λI)⁻¹ G)
      let rss = 0;
      for (let r = 0; r < m; r++) rss += (y[r] - a[0] * xc[2 * r] - a[1] * xc[2 * r + 1]) ** 2;
      const gcv = (m * rss) / (m - dof) ** 2;
      if (gcv < best.gcv) best = { gcv, k, a };
    }
    const ridge = ridgeHighway(xc, y, m, 2, 1);
    expect(ridge.lambda[0]).toBe(best.k);
    expect(best.k).toBeGreaterThan(0.01); // the brute force shrinks too: the test is not at the least-squares end
    expect(Math.abs(ridge.weights[0] - best.a[0]) + Math.abs(ridge.weights[1] - best.a[1])).toBeLessThan(1e-9);
    expect(() => ridgeHighway(xc, y, 0, 2, 1)).toThrow(InputError);
  });
});

describeBackends("CausalTransformer highway", CPU_BACKENDS, () => {
  const config = { vars: 2, window: 2, dModel: 8, heads: 2, layers: 1, ffHidden: 8 };
  it("adds flatten(x) A to the prediction; a fixed highway is not trained, a learnt one is", () => {
    const plain = new CausalTransformer(config, 4);
    const fixed = new CausalTransformer({ ...config, highway: "fixed" }, 4);
    const learnt = new CausalTransformer({ ...config, highway: "learnt" }, 4);
    expect(fixed.variables.length).toBe(plain.variables.length);
    expect(learnt.variables.length).toBe(plain.variables.length + 1);
    const A = [1, 0, 0, 2, 0.5, 0, 0, -1]; // [W * V = 4, V = 2]
    fixed.setHighway(A);
    const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2]); // window rows [1, 2], [3, 4]
    const clean = tf.tensor3d([0, 0, 1, 1], [1, 2, 2]);
    const [p, f, fc] = tf.tidy(() => [plain.forward(x).prediction.dataSync(), fixed.forward(x).prediction.dataSync(), fixed.forward(x, { clean }).prediction.dataSync()]);
    // flatten(x) = [1, 2, 3, 4]: column 0 = 1*1 + 3*0.5 = 2.5, column 1 = 2*2 + 4*(-1) = 0
    expect(maxAbsDiff(f, [p[0] + 2.5, p[1] + 0])).toBeLessThan(1e-5);
    // with `clean`, the highway reads [0, 0, 1, 1]: 0.5 and -1
    expect(maxAbsDiff(fc, [p[0] + 0.5, p[1] - 1])).toBeLessThan(1e-5);
    // a learnt highway reads the (noisy) x even when `clean` is given: input noise is its ridge penalty
    learnt.setHighway(A);
    const [l, lc] = tf.tidy(() => [learnt.forward(x).prediction.dataSync(), learnt.forward(x, { clean }).prediction.dataSync()]);
    expect(maxAbsDiff(lc, l)).toBeLessThan(1e-6);
    expect(maxAbsDiff(l, [p[0] + 2.5, p[1] + 0])).toBeLessThan(1e-5); // same seed, same transformer as plain
    expect(() => plain.setHighway(A)).toThrow(InputError);
    expect(() => fixed.setHighway([1, 2])).toThrow(InputError);
    tf.dispose([x, clean]);
    for (const m of [plain, fixed, learnt]) m.dispose();
  });
});
