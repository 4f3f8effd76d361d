import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { generateSpiking } from "./spiking.js";

describe("generateSpiking", () => {
  const V = 8;
  const T = 1500;
  const r = generateSpiking({ vars: V, length: T, seed: 1 });

  it("has no self-loops in the truth, and the truth is exactly the synapses at their delays in bins", () => {
    expect(r.truth.edges.every((e) => e.cause !== e.effect)).toBe(true);
    expect(r.truth.summaryOnly).toBe(false);
    const synapses: string[] = [];
    for (let post = 0; post < V; post++)
      for (let pre = 0; pre < V; pre++)
        if (r.weights[post * V + pre] !== 0) synapses.push(`x${pre}>x${post}@${r.delays[post * V + pre]}`);
    expect(r.truth.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`).sort()).toEqual(synapses.sort());
    for (let pre = 0; pre < V; pre++)
      for (let post = 0; post < V; post++) {
        const w = r.weights[post * V + pre];
        if (w !== 0) expect(Math.sign(w)).toBe(r.inhibitory[pre] ? -1 : 1);
      }
  });

  it("fires at plausible rates and an excitatory spike raises the target's firing exactly `lag` bins later", () => {
    for (let i = 0; i < V; i++) {
      let n = 0;
      for (let t = 0; t < T; t++) n += r.spikes[t * V + i];
      const hz = n / (T * 0.01);
      expect(hz).toBeGreaterThan(2);
      expect(hz).toBeLessThan(100);
    }
    // spike-triggered mean of the target's count at each lag 1..4 after a presynaptic spike
    let checked = 0;
    for (const e of r.truth.edges) {
      const pre = Number(e.cause.slice(1));
      const post = Number(e.effect.slice(1));
      if (r.inhibitory[pre]) continue;
      const after = [1, 2, 3, 4].map((l) => {
        let s = 0;
        let n = 0;
        for (let t = 0; t + l < T; t++)
          if (r.spikes[t * V + pre] > 0) {
            s += r.spikes[(t + l) * V + post];
            n++;
          }
        return s / n;
      });
      const best = after.indexOf(Math.max(...after)) + 1;
      expect(best).toBe(e.lag);
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
  });

  it("observes rates in Hz or the bin-mean potential, deterministically for a seed", () => {
    const again = generateSpiking({ vars: V, length: T, seed: 1 });
    expect(Array.from(again.series.data)).toEqual(Array.from(r.series.data));
    expect(r.series.data[0]).toBe(r.spikes[0] * 100);
    const pot = generateSpiking({ vars: V, length: 300, seed: 1, observe: "potential", smoothing: 2 });
    expect(pot.truth).toEqual(generateSpiking({ vars: V, length: 300, seed: 1 }).truth);
    expect(pot.series.data.every((v) => v > -90 && v < 31)).toBe(true);
    const smooth = generateSpiking({ vars: V, length: 300, seed: 1, smoothing: 3, lags: [5] });
    expect(smooth.truth.edges.every((e) => e.lag === 5)).toBe(true);
    expect(() => generateSpiking({ vars: V, length: 300, observe: "calcium" as never })).toThrow(InputError);
  });
});
