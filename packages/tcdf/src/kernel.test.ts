import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { evaluateLosses, lossAndGrad, makeInputs, makeWorkspace } from "./kernel.js";
import { initParams, paramLayout, receptiveField, softmaxGates, type NetShape } from "./network.js";
import { WasmStep, wasmStepAvailable } from "./wasm-step.js";

/** A random series `[T, V]`, inputs, and perturbed initial parameters. */
function setup(shape: NetShape, T: number, instantaneous: boolean, seed = 1) {
  const rng = new Rng(seed);
  const data = new Float64Array(T * shape.V).map(() => rng.normal());
  const inputs = makeInputs(data, T, shape.V, shape.kernelSize, instantaneous);
  const theta = initParams(shape, rng);
  for (let i = 0; i < theta.length; i++) theta[i] += 0.3 * rng.normal();
  return { inputs, theta, ws: makeWorkspace(shape, T) };
}

const SHAPES: [string, NetShape, boolean][] = [
  ["default shape", { V: 3, kernelSize: 4, dilation: 4, hiddenLayers: 0 }, false],
  ["default shape, instantaneous", { V: 3, kernelSize: 4, dilation: 4, hiddenLayers: 0 }, true],
  ["k 3, c 2, two hidden layers", { V: 3, kernelSize: 3, dilation: 2, hiddenLayers: 2 }, true],
  ["k 2, c 3, one hidden layer", { V: 2, kernelSize: 2, dilation: 3, hiddenLayers: 1 }, false],
];

describe("receptiveField", () => {
  it("is 1 + sum_l (k-1) c^l", () => {
    expect(receptiveField(4, 4, 0)).toBe(4);
    expect(receptiveField(4, 4, 1)).toBe(16);
    expect(receptiveField(4, 4, 3)).toBe(256); // the paper's L = 3 (§5.3)
    expect(receptiveField(3, 2, 2)).toBe(15);
    expect(receptiveField(2, 2, 3)).toBe(16);
  });
});

describe("initParams", () => {
  it("starts attention at 1 and PReLU slopes at 0.25, reproducibly", () => {
    const shape: NetShape = { V: 4, kernelSize: 4, dilation: 4, hiddenLayers: 1 };
    const lay = paramLayout(shape);
    const a = initParams(shape, new Rng(7));
    expect(a.length).toBe(lay.size);
    expect(lay.size).toBe(2 * 16 * (4 + 2) + 2 * 16 + 4);
    expect(Array.from(a.subarray(lay.attention, lay.attention + 16))).toEqual(new Array(16).fill(1));
    expect(a[lay.slope]).toBe(0.25);
    expect(Array.from(initParams(shape, new Rng(7)))).toEqual(Array.from(a));
  });
});

describe("lossAndGrad", () => {
  for (const [name, shape, instantaneous] of SHAPES) {
    it(`matches central finite differences (${name})`, () => {
      const T = 30;
      const { inputs, theta, ws } = setup(shape, T, instantaneous);
      const grad = new Float64Array(theta.length);
      const losses = new Float64Array(shape.V);
      lossAndGrad(shape, inputs, theta, grad, losses, ws, "general");
      const total = (): number => {
        lossAndGrad(shape, inputs, theta, null, losses, ws, "general");
        return losses.reduce((a, b) => a + b, 0);
      };
      const h = 1e-6;
      for (let i = 0; i < theta.length; i++) {
        const keep = theta[i];
        theta[i] = keep + h;
        const up = total();
        theta[i] = keep - h;
        const down = total();
        theta[i] = keep;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(grad[i] - fd), `parameter ${i}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it("takes the fused fast path to the same numbers as the general path", () => {
    const shape: NetShape = { V: 4, kernelSize: 4, dilation: 4, hiddenLayers: 0 };
    const { inputs, theta, ws } = setup(shape, 57, true);
    const [g1, g2] = [new Float64Array(theta.length), new Float64Array(theta.length)];
    const [l1, l2] = [new Float64Array(4), new Float64Array(4)];
    lossAndGrad(shape, inputs, theta, g1, l1, ws);
    lossAndGrad(shape, inputs, theta, g2, l2, ws, "general");
    for (let i = 0; i < g1.length; i++) expect(g1[i]).toBeCloseTo(g2[i], 12);
    for (let j = 0; j < 4; j++) expect(l1[j]).toBeCloseTo(l2[j], 12);
  });

  it("gives the losses evaluateLosses gives with softmax gates", () => {
    const shape: NetShape = { V: 3, kernelSize: 3, dilation: 2, hiddenLayers: 1 };
    const { inputs, theta, ws } = setup(shape, 40, false);
    const losses = new Float64Array(3);
    lossAndGrad(shape, inputs, theta, null, losses, ws);
    const again = evaluateLosses(shape, inputs, theta, softmaxGates(shape, theta), ws);
    for (let j = 0; j < 3; j++) expect(again[j]).toBeCloseTo(losses[j], 12);
  });
});

describe.skipIf(!wasmStepAvailable())("WasmStep (WebAssembly SIMD, float32)", () => {
  for (const T of [4, 7, 101]) {
    it(`agrees with the float64 kernel (T = ${T})`, () => {
      const shape: NetShape = { V: 5, kernelSize: 4, dilation: 4, hiddenLayers: 0 };
      for (const instantaneous of [false, true]) {
        const { inputs, theta, ws } = setup(shape, T, instantaneous, T);
        const [g1, g2] = [new Float64Array(theta.length), new Float64Array(theta.length)];
        const [l1, l2] = [new Float64Array(5), new Float64Array(5)];
        lossAndGrad(shape, inputs, theta, g1, l1, ws);
        new WasmStep(shape, inputs).lossAndGrad(theta, g2, l2);
        for (let i = 0; i < g1.length; i++) expect(Math.abs(g2[i] - g1[i]), `parameter ${i}`).toBeLessThan(2e-5 * Math.max(1, Math.abs(g1[i])));
        for (let j = 0; j < 5; j++) expect(l2[j]).toBeCloseTo(l1[j], 5);
      }
    });
  }
});
