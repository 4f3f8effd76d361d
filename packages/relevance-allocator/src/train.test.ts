import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";
import { CausalTransformer } from "@causeway/transformer";
import { CPU_BACKENDS, describeBackends, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { allocate, TIER } from "./allocate.js";
import { applyPlan } from "./apply.js";
import { relevanceScores } from "./scores.js";
import { trainForPlans } from "./train.js";

await probeBackends();

/** Windows of `y(t) = c(t - 2)` with c i.i.d. N(0, 1) and a noise variable: x [n, 3, 3], y [n, 3]. */
function copyTask(n: number, seed: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const rng = new Rng(seed);
  const T = n + 3;
  const c = Float32Array.from({ length: T }, () => rng.normal());
  const z = Float32Array.from({ length: T }, () => rng.normal());
  const row = (t: number) => [t >= 2 ? c[t - 2] : 0, c[t], z[t]]; // y, c, noise
  const x = new Float32Array(n * 9);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < 3; s++) x.set(row(i + s), (i * 3 + s) * 3);
    y.set(row(i + 3), i * 3);
  }
  return { x: tf.tensor3d(x, [n, 3, 3]), y: tf.tensor2d(y, [n, 3]) };
}

describeBackends("trainForPlans", CPU_BACKENDS, () => {
  it("rejects bad input with InputError", async () => {
    const model = new CausalTransformer({ vars: 3, window: 3, dModel: 8, heads: 2, layers: 1, ffHidden: 16 }, 1);
    const { x, y } = copyTask(20, 1);
    const wrong = tf.zeros([20, 4, 3]) as tf.Tensor3D;
    await expect(trainForPlans(model, wrong, y)).rejects.toThrow(InputError);
    const short = tf.slice(y, [0, 0], [10, 3]) as tf.Tensor2D;
    await expect(trainForPlans(model, x, short)).rejects.toThrow(InputError);
    await expect(trainForPlans(model, x, y, { dropSteps: -1 })).rejects.toThrow(InputError);
    await expect(trainForPlans(model, x, y, { outputs: [5] })).rejects.toThrow(InputError);
    await expect(trainForPlans(model, x, y, { minKeep: 2 })).rejects.toThrow(InputError);
    await expect(trainForPlans(model, x, y, { epochs: 0 })).rejects.toThrow(InputError);
    await expect(trainForPlans(model, x, y, { validationFraction: 1 })).rejects.toThrow(InputError);
    tf.dispose([x, y, wrong, short]);
    model.dispose();
  });
});

describeBackends("trainForPlans training", ["wasm"], () => {
  it("learns the target and keeps the best epoch's weights", async () => {
    const model = new CausalTransformer({ vars: 3, window: 3, dModel: 8, heads: 2, layers: 1, ffHidden: 16 }, 1);
    const { x, y } = copyTask(240, 2);
    const h = await trainForPlans(model, x, y, { outputs: [0], epochs: 12, batchSize: 16, learningRate: 2e-2, minKeep: 1, seed: 3 });
    expect(h.epochs).toBe(h.trainLoss.length);
    expect(h.validationLoss).toHaveLength(h.epochs);
    expect(h.bestValidationLoss).toBe(Math.min(...h.validationLoss));
    expect(h.bestValidationLoss).toBeLessThan(0.3 * h.validationLoss[0]);
    // restored weights: the validation windows' full-token MSE of y is the best epoch's
    const xv = tf.slice(x, [192, 0, 0], [48, 3, 3]);
    const yv = tf.slice(y, [192, 0], [48, 3]);
    const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(tf.slice(model.forward(xv).prediction, [0, 0], [48, 1]), tf.slice(yv, [0, 0], [48, 1])))).dataSync()[0]);
    expect(mse).toBeCloseTo(h.bestValidationLoss, 4);
    // a plan that keeps only the cause token c(t - 2) and y's query still forecasts y
    const scores = relevanceScores(3, 3, Float64Array.from({ length: 9 }, (_, i) => (i === 1 * 3 + 1 ? 1 : 0)));
    const plan = allocate(scores, 2 / 9, { kind: "topk", queries: [0] });
    expect(Array.from(plan.tier).filter((t) => t === TIER.full)).toHaveLength(2);
    const run = applyPlan(model, xv, plan);
    const planMse = tf.tidy(() => tf.mean(tf.square(tf.sub(tf.slice(run.prediction, [0, 0], [48, 1]), tf.slice(yv, [0, 0], [48, 1])))).dataSync()[0]);
    expect(planMse).toBeLessThan(0.5); // Var(y) = 1: the 2-token plan keeps most of the forecast
    tf.dispose([x, y, xv, yv, run.prediction]);
    model.dispose();
  });

  it("still learns when every step drops tokens", async () => {
    const model = new CausalTransformer({ vars: 3, window: 3, dModel: 8, heads: 2, layers: 1, ffHidden: 16 }, 1);
    const { x, y } = copyTask(240, 2);
    const h = await trainForPlans(model, x, y, { outputs: [0], epochs: 12, batchSize: 16, learningRate: 1e-2, minKeep: 0.3, dropSteps: 1, seed: 3 });
    expect(h.bestValidationLoss).toBeLessThan(0.8 * h.validationLoss[0]); // a scrambled token subset would stay near 1
    tf.dispose([x, y]);
    model.dispose();
  });
});
