import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "@causeway/core";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { gradientAttributions } from "./gradient.js";
import { CausalTransformer } from "./model.js";

await probeBackends(CPU_BACKENDS);

describeBackends("net attribution rule", CPU_BACKENDS, () => {
  it("a cause whose lag terms cancel scores its net contribution; a single-lag cause keeps gradxinput", () => {
    // a linear model: the transformer's head zeroed, so ŷ = flatten(x) A and ∂ŷ/∂x = A exactly
    const [W, V, n] = [3, 2, 50];
    const model = new CausalTransformer({ vars: V, window: W, dModel: 8, heads: 2, layers: 1, ffHidden: 8, highway: "fixed" }, 1);
    tf.tidy(() => model.headWeight.assign(tf.zerosLike(model.headWeight)));
    const A = new Float64Array(W * V * V); // [W * V, V]: row t * V + c (window step t, lag W - t), column: effect
    const row = (l: number, c: number) => ((W - l) * V + c) * V; // + effect
    A[row(1, 0)] = 1; // effect 0 <- x_0(t-1) ...
    A[row(2, 0)] = -1; // ... minus x_0(t-2): a difference
    A[row(2, 1)] = 0.5; // effect 0 <- x_1(t-2)
    model.setHighway(A);
    const rng = new Rng(2);
    const xs = Float32Array.from({ length: n * W * V }, () => rng.normal());
    const x = tf.tensor3d(xs, [n, W, V]);
    const at = (w: number, l: number, c: number) => xs[(w * W + W - l) * V + c];
    const mean = (f: (w: number) => number) => Array.from({ length: n }, (_, w) => f(w)).reduce((a, b) => a + b, 0) / n;
    const scores = gradientAttributions(model, x, { maxLag: W, rules: ["gradxinput", "net"] });
    const gxi00 = [mean((w) => Math.abs(at(w, 1, 0))), mean((w) => Math.abs(at(w, 2, 0))), 0]; // effect 0, cause 0, lags 1..3
    const net00 = mean((w) => Math.abs(at(w, 1, 0) - at(w, 2, 0)));
    const share = gxi00.map((g) => (g * net00) / (gxi00[0] + gxi00[1]));
    expect(maxAbsDiff(scores.gradxinput.subarray(0, 3), gxi00)).toBeLessThan(1e-5);
    expect(maxAbsDiff(scores.net.subarray(0, 3), share)).toBeLessThan(1e-5);
    // cause 1 has one lag: net = gradxinput = 0.5 mean |x_1(t-2)|
    const gxi01 = [0, 0.5 * mean((w) => Math.abs(at(w, 2, 1))), 0];
    expect(maxAbsDiff(scores.net.subarray(3, 6), gxi01)).toBeLessThan(1e-5);
    expect(maxAbsDiff(scores.gradxinput.subarray(3, 6), gxi01)).toBeLessThan(1e-5);
    // effect 1 has no inputs at all: every score 0
    expect(Math.max(...scores.net.subarray(6, 12))).toBeLessThan(1e-7);
    x.dispose();
    model.dispose();
  });
});
