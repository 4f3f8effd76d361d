import { describe, expect, it } from "vitest";
import { createScores, defineMethod, InputError, runStage, setScore, type StageExecutor, type TimeSeries } from "./index.js";

/** A toy method: the score of x0 -> x1 is the sum of column sums, each column's sum one stage payload. */
const toy = defineMethod({
  name: "toy-stages",
  description: "test",
  usesTensors: false,
  lagResolved: false,
  defaultThreshold: 0,
  params: {},
  stages: {
    colsum: (series: TimeSeries, payload: unknown) => {
      const v = payload as number;
      let s = 0;
      for (let t = 0; t < series.length; t++) s += series.data[t * series.variables.length + v];
      return s;
    },
  },
  async run({ series, executor }) {
    const V = series.variables.length;
    const payloads = Array.from({ length: V }, (_, v) => v);
    const sums = executor ? await executor.run("toy-stages", "colsum", series, payloads) : payloads.map((v) => runStage(toy, "colsum", series, v));
    const scores = createScores(V, 1);
    setScore(scores, 1, 0, 1, (sums as number[]).reduce((a, b) => a + b, 0));
    return { scores, meta: { executed: executor ? "executor" : "here" } };
  },
});

describe("method stages", () => {
  const series: TimeSeries = { variables: ["a", "b"], length: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };

  it("a method's stages run through the executor it is given, and the graph is the serial one", async () => {
    const calls: unknown[][] = [];
    const executor: StageExecutor = {
      parallelism: 2,
      run: async (method, stage, s, payloads) => {
        calls.push([method, stage, ...payloads]);
        return payloads.map((p) => runStage(toy, stage, s, p));
      },
    };
    const serial = await toy.discover(series, { maxLag: 1, checks: false });
    const split = await toy.discover(series, { maxLag: 1, checks: false, executor });
    expect(calls).toEqual([["toy-stages", "colsum", 0, 1]]);
    expect(split.scores).toEqual(serial.scores);
    expect(split.scores[1][0][0]).toBe(21);
    expect([serial.meta.executed, split.meta.executed]).toEqual(["here", "executor"]);
  });

  it("an unknown stage is an InputError naming the stages", () => {
    expect(() => runStage(toy, "nope", series, 0)).toThrow(InputError);
    expect(() => runStage(toy, "nope", series, 0)).toThrow(/its stages: colsum/);
  });
});
