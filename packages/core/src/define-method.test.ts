import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { useBackend } from "./backends/registry.js";
// registers the wasm backend (and the others) for "activates an explicit options.backend"
import "@causeway/test-utils";
import { defineMethod, param, paramSpecs, resolveTypedParams } from "./define-method.js";
import { InputError } from "./errors.js";
import { createScores, setScore } from "./graph.js";
import type { TimeSeries } from "./types.js";

const PARAMS = {
  epochs: param.integer({ default: 1000, min: 1, max: 1e5, description: "training epochs" }),
  rate: param.number({ default: 0.01, min: 0, max: 1, description: "learning rate" }),
  engine: param.choice(["auto", "wasm", "js"], { default: "auto", description: "gradient code" }),
  lagZero: param.boolean({ default: false, description: "also lag 0" }),
  lambda: param.string({
    default: "auto",
    description: '"auto" or a number',
    numberAsString: true,
    read: (v): "auto" | number => (v === "auto" ? "auto" : Number(v)),
  }),
};

// [T = 6, V = 2]: x1(t) = x0(t - 1)
const series: TimeSeries = { variables: ["x0", "x1"], length: 6, data: Float64Array.from([1, 0, 3, 1, 2, 3, 5, 2, 4, 5, 6, 4]) };

describe("param declarations", () => {
  it("derive the ParamSpec list in declaration order, with bounds, choices and defaults", () => {
    expect(paramSpecs(PARAMS)).toEqual([
      { name: "epochs", type: "integer", default: 1000, min: 1, max: 1e5, description: "training epochs" },
      { name: "rate", type: "number", default: 0.01, min: 0, max: 1, description: "learning rate" },
      { name: "engine", type: "string", default: "auto", choices: ["auto", "wasm", "js"], description: "gradient code" },
      { name: "lagZero", type: "boolean", default: false, description: "also lag 0" },
      { name: "lambda", type: "string", default: "auto", description: '"auto" or a number' },
    ]);
  });

  it("resolve to typed values: defaults filled, strings parsed, bounds and choices enforced", () => {
    const p = resolveTypedParams(PARAMS, { epochs: "20", lagZero: "true", lambda: 0.5 }, "m");
    const epochs: number = p.epochs;
    const engine: "auto" | "wasm" | "js" = p.engine;
    expect({ ...p, epochs, engine }).toEqual({ epochs: 20, rate: 0.01, engine: "auto", lagZero: true, lambda: 0.5 });
    expect(resolveTypedParams(PARAMS, {}, "m").lambda).toBe("auto");
    expect(() => resolveTypedParams(PARAMS, { epochs: 0 }, "m")).toThrow('m parameter "epochs" must be >= 1, got 0');
    expect(() => resolveTypedParams(PARAMS, { epochs: 2.5 }, "m")).toThrow('m parameter "epochs" must be an integer, got 2.5');
    expect(() => resolveTypedParams(PARAMS, { engine: "gpu" }, "m")).toThrow('m parameter "engine" must be one of auto, wasm, js, got "gpu"');
    expect(() => resolveTypedParams(PARAMS, { epoch: 3 }, "m")).toThrow(InputError);
  });
});

/** A method without tensors whose scores are its params: 0.25 at (x1 <- x0, lag 1), `rate` at lag 2. */
const plain = defineMethod({
  name: "plain",
  description: "test method",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.2,
  params: PARAMS,
  estimate: ({ T, V }, p) => ({ bytes: T * V * 8, flops: p.epochs * T }),
  samplesNeeded: ({ maxLag }, p) => ({ min: maxLag + 2, comfortable: p.lagZero ? 100 : maxLag + 2, why: "maxLag + 2" }),
  run({ series: s, maxLag, params, warnings }) {
    const scores = createScores(s.variables.length, maxLag);
    setScore(scores, 1, 0, 1, 0.25);
    setScore(scores, 1, 0, 2, params.rate);
    warnings.push({ code: "scale", message: "pushed by run" });
    return { scores, meta: { order: 2, params: { epochs: params.epochs } }, ...(params.lambda === "auto" ? {} : { defaultThreshold: params.lambda }) };
  },
});

describe("defineMethod", () => {
  it("gives a Discoverer with the derived specs, typed estimate and samplesNeeded, and supports defaulting to neither", () => {
    expect(plain.params.map((p) => p.name)).toEqual(["epochs", "rate", "engine", "lagZero", "lambda"]);
    expect(plain.supports).toEqual({ segments: false, mask: false });
    expect(plain.estimate!({ T: 10, V: 2, maxLag: 1 }, { epochs: 3 })).toEqual({ bytes: 160, flops: 30 });
    expect(plain.samplesNeeded!({ V: 2, maxLag: 2 }, { lagZero: true }).comfortable).toBe(100);
  });

  it("builds the graph: meta (extra keys after the fixed ones), threshold, edges and merged warnings", async () => {
    const g = await plain.discover(series, { maxLag: 2, seed: 7, params: { rate: 0.1, lagZero: true } });
    expect(g.method).toBe("plain");
    expect(Object.keys(g.meta)).toEqual(["backend", "seconds", "seed", "params", "lagResolved", "order"]);
    expect(g.meta).toMatchObject({ backend: "none", seed: 7, params: { epochs: 1000 }, lagResolved: true, order: 2 });
    expect(g.threshold).toBe(0.2);
    expect(g.edges).toEqual([{ cause: "x0", effect: "x1", lag: 1, score: 0.25 }]);
    // prepareRun's short_series (comfortable 100 rows with lagZero) first, then what run pushed
    expect(g.warnings!.map((w) => w.code)).toEqual(["short_series", "scale"]);
    // the caller's threshold wins; a run's own default (a fixed lambda) beats the declared one
    expect((await plain.discover(series, { maxLag: 2, threshold: 0.05, params: { rate: 0.1 } })).edges).toHaveLength(2);
    expect((await plain.discover(series, { maxLag: 2, params: { rate: 0.1, lambda: 0.1 } })).threshold).toBe(0.1);
  });

  it("validates input and params before run", async () => {
    await expect(plain.discover(series, { maxLag: 5 })).rejects.toThrow("at least maxLag + 2 = 7 are needed");
    await expect(plain.discover(series, { maxLag: 2, params: { rate: 2 } })).rejects.toThrow('plain parameter "rate" must be <= 1, got 2');
  });
});

describe("defineMethod's backend rule", () => {
  const tensorMethod = defineMethod({
    name: "tensor-sum",
    description: "test method on tensors",
    usesTensors: true,
    lagResolved: true,
    defaultThreshold: 0.5,
    params: {},
    run: async ({ series: s, maxLag, backend }) => {
      const x = tf.tensor2d(Array.from(s.data), [s.length, s.variables.length]); // [T, V]
      const total = (await tf.sum(x).data())[0];
      x.dispose();
      const scores = createScores(s.variables.length, maxLag, total / 100);
      return { scores, meta: { ranOn: backend, tfBackend: tf.getBackend() } };
    },
  });

  it("runs on the backend the caller made active, switching nothing, when options.backend is absent", async () => {
    await useBackend("cpu");
    const g = await tensorMethod.discover(series, { maxLag: 1 });
    expect(g.meta.backend).toBe("cpu");
    expect(g.meta.tfBackend).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(g.scores[0][0][0]).toBeCloseTo(0.36, 12);
  });

  it("activates an explicit options.backend (the caller's choice)", async () => {
    await useBackend("cpu");
    const g = await tensorMethod.discover(series, { maxLag: 1, backend: "wasm" });
    expect(g.meta.backend).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(g.scores[0][0][0]).toBeCloseTo(0.36, 6);
    await useBackend("cpu");
  });
});
