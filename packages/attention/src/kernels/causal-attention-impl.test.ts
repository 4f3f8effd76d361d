import { maxAbsDiff } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { finiteDifferenceGrads, naiveForward64, randomArray, sizeOf } from "../test-reference.js";
import { causalAttentionGradImpl, causalAttentionImpl, type AttentionShape } from "./causal-attention-impl.js";
import { causalAttentionGradSimd, causalAttentionSimd, simdKernel } from "./causal-attention-simd.js";

function operands(s: AttentionShape, seed: number) {
  const n = sizeOf(s);
  return { q: randomArray(seed, n), k: randomArray(seed + 1, n), v: randomArray(seed + 2, n), dy: randomArray(seed + 3, n) };
}

/** Logsumexp of each causal score row, float64. */
function lse64(q: Float32Array, k: Float32Array, s: AttentionShape, scale: number): Float64Array {
  const { time: T, dHead: d } = s;
  const out = new Float64Array(s.batch * s.heads * T);
  for (let bh = 0; bh < s.batch * s.heads; bh++) {
    for (let i = 0; i < T; i++) {
      const sc: number[] = [];
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let e = 0; e < d; e++) dot += q[(bh * T + i) * d + e] * k[(bh * T + j) * d + e];
        sc.push(dot * scale);
      }
      const m = Math.max(...sc);
      out[bh * T + i] = m + Math.log(sc.reduce((a, x) => a + Math.exp(x - m), 0));
    }
  }
  return out;
}

describe("causalAttentionImpl (typed-array reference)", () => {
  it("matches the float64 definition, forward and logsumexp, for any tile size", () => {
    const s: AttentionShape = { batch: 2, heads: 2, time: 45, dHead: 6 };
    const { q, k, v } = operands(s, 1);
    const want = naiveForward64(q, k, v, s, 0.4);
    const wantLse = lse64(q, k, s, 0.4);
    for (const tile of [1, 7, 32, 64]) {
      const got = causalAttentionImpl(q, k, v, s, 0.4, tile);
      expect(maxAbsDiff(got.out, want)).toBeLessThan(1e-6);
      expect(maxAbsDiff(got.lse, wantLse)).toBeLessThan(1e-5);
    }
  });

  it("has gradients equal to float64 finite differences (FlashAttention-2 Alg. 2)", () => {
    const s: AttentionShape = { batch: 1, heads: 2, time: 11, dHead: 3 };
    const { q, k, v, dy } = operands(s, 5);
    const f = causalAttentionImpl(q, k, v, s, 0.6, 4);
    const g = causalAttentionGradImpl(q, k, v, f.out, f.lse, dy, s, 0.6, 4);
    const [fq, fk, fv] = finiteDifferenceGrads(q, k, v, dy, s, 0.6);
    expect(maxAbsDiff(g.dq, fq)).toBeLessThan(2e-5);
    expect(maxAbsDiff(g.dk, fk)).toBeLessThan(2e-5);
    expect(maxAbsDiff(g.dv, fv)).toBeLessThan(2e-5);
  });

  it("rejects operands of the wrong size", () => {
    const s: AttentionShape = { batch: 1, heads: 1, time: 4, dHead: 2 };
    expect(() => causalAttentionImpl(new Float32Array(8), new Float32Array(8), new Float32Array(7), s, 1)).toThrow(/v has 7 values, expected 8/);
  });
});

describe.skipIf(!simdKernel())("WebAssembly SIMD kernel", () => {
  // edge sizes: one row, tile boundaries (64), head widths not a multiple of 4 or 16
  const shapes: AttentionShape[] = [
    { batch: 1, heads: 1, time: 1, dHead: 1 },
    { batch: 1, heads: 2, time: 63, dHead: 3 },
    { batch: 2, heads: 1, time: 64, dHead: 16 },
    { batch: 1, heads: 3, time: 65, dHead: 17 },
    { batch: 1, heads: 1, time: 200, dHead: 64 },
    { batch: 4, heads: 4, time: 256, dHead: 16 },
  ];
  for (const s of shapes) {
    it(`agrees with the reference forward and backward to 1e-5 for [${s.batch}, ${s.heads}, ${s.time}, ${s.dHead}]`, () => {
      const { q, k, v, dy } = operands(s, s.time);
      const scale = 1 / Math.sqrt(s.dHead);
      const ref = causalAttentionImpl(q, k, v, s, scale);
      const got = causalAttentionSimd(q, k, v, s, scale);
      expect(got).not.toBeNull();
      expect(maxAbsDiff(got!.out, ref.out)).toBeLessThan(1e-5);
      expect(maxAbsDiff(got!.lse, ref.lse)).toBeLessThan(1e-5);
      const gref = causalAttentionGradImpl(q, k, v, ref.out, ref.lse, dy, s, scale);
      const g = causalAttentionGradSimd(q, k, v, got!.out, got!.lse, dy, s, scale)!;
      expect(maxAbsDiff(g.dq, gref.dq)).toBeLessThan(1e-5);
      expect(maxAbsDiff(g.dk, gref.dk)).toBeLessThan(1e-5);
      expect(maxAbsDiff(g.dv, gref.dv)).toBeLessThan(1e-5);
    });
  }

  it("computes exp exactly enough over the whole softmax range (scores up to +-80)", () => {
    const s: AttentionShape = { batch: 1, heads: 1, time: 70, dHead: 4 };
    const q = randomArray(1, sizeOf(s), 9);
    const k = randomArray(2, sizeOf(s), 9);
    const v = randomArray(3, sizeOf(s));
    const got = causalAttentionSimd(q, k, v, s, 1)!;
    expect(maxAbsDiff(got.out, naiveForward64(q, k, v, s, 1))).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.lse, lse64(q, k, s, 1))).toBeLessThan(1e-4); // |L| up to ~300
  });
});
