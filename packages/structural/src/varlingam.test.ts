import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TimeSeries } from "@causeway/core";
import { varLingam } from "./varlingam.js";

interface LingamFixture {
  maxLag: number;
  data: number[][];
  order: number;
  causalOrder: number[];
  arCoefs: number[][][];
  adjacency: number[][][];
  adjacencyUnpruned: number[][][];
}

const load = (name: string): LingamFixture => JSON.parse(readFileSync(new URL(`../fixtures/reference/varlingam_${name}.json`, import.meta.url), "utf8"));
const toSeries = (data: number[][]): TimeSeries => ({ variables: data[0].map((_, i) => `x${i}`), length: data.length, data: Float64Array.from(data.flat()) });

describe("varLingam against cdt15/lingam's VARLiNGAM", () => {
  for (const name of ["v3_laplace", "v4_uniform", "v5_laplace_bic"]) {
    it(`${name}: same order, causal order, M_tau, B0 and B_tau`, () => {
      const f = load(name);
      const series = toSeries(f.data);
      const V = series.variables.length;
      const r = varLingam(series, { maxLag: f.maxLag, criterion: "bic", prune: true });
      expect(r.order).toBe(f.order);
      expect(r.causalOrder).toEqual(f.causalOrder);
      for (let l = 0; l < f.order; l++) for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) expect(r.M[l][e * V + c]).toBeCloseTo(f.arCoefs[l][e][c], 12);
      for (let e = 0; e < V; e++)
        for (let c = 0; c < V; c++) {
          expect(r.B0[e * V + c]).toBeCloseTo(f.adjacency[0][e][c], 12);
          for (let l = 0; l < f.order; l++) expect(r.B[l][e * V + c]).toBeCloseTo(f.adjacency[l + 1][e][c], 12);
        }
      const u = varLingam(series, { maxLag: f.maxLag, criterion: "bic", prune: false });
      for (let e = 0; e < V; e++)
        for (let c = 0; c < V; c++) {
          expect(u.B0[e * V + c]).toBeCloseTo(f.adjacencyUnpruned[0][e][c], 12);
          for (let l = 0; l < f.order; l++) expect(u.B[l][e * V + c]).toBeCloseTo(f.adjacencyUnpruned[l + 1][e][c], 12);
        }
    });
  }
});
