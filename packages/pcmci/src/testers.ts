/**
 * Conditional-independence tests on lagged nodes. A node is `lag * V + v`: x_v(t - lag), lag >= 0.
 * Every test of a run uses the same target rows (tigramite's cut-off of 2 tau_max, per recording),
 * except with missing cells, where each test leaves out the rows on which one of its nodes is missing.
 */
import { choleskyInPlace, choleskyWithJitter, hasMissing, type TimeSeries } from "@causeway/core";
import type { CITest } from "./ci-test.js";
import { laggedCorrelation, laggedRobustCorrelation, rowRuns, standardisedColumns } from "./gram.js";
import { correlationMatrix, logPvalueOfCorrelation, normalScores, parCorr, residualFraction, robustParCorr } from "./parcorr.js";

/** One test's outcome: the statistic, its p-value and ln p (finite where p underflows). */
export interface NodeTest {
  value: number;
  pvalue: number;
  logP: number;
}

/** X _||_ Y | Z on lagged nodes, and the AIC of a target's linear model on its parents. */
export interface Tester {
  readonly name: string;
  test(x: number, y: number, z: readonly number[]): NodeTest;
  /** n ln(RSS) + 2 (|parents| + 1) of the standardised target on its standardised parents. */
  aic?(y: number, parents: readonly number[]): number;
}

/** Z without X, Y and repeats, in order (tigramite drops them too). */
export function cleanConditions(x: number, y: number, z: readonly number[]): number[] {
  const out: number[] = [];
  for (const c of z) if (c !== x && c !== y && !out.includes(c)) out.push(c);
  return out;
}

/**
 * ParCorr on sub-blocks of one correlation matrix of all nodes over the common rows. The Cholesky
 * factor of the last condition set (and Y's solve against it) is kept: PC1 tests most candidates
 * of a sweep given the same strongest parents, so those tests cost O(k²), not O(k³).
 */
export class GramTester implements Tester {
  readonly name: string;
  private readonly D: number;
  private key = "";
  private L: Float64Array = new Float64Array(0); // [k, k] Cholesky factor of R[Z, Z]
  private wNode = -1;
  private w: Float64Array = new Float64Array(0); // L⁻¹ R[Z, y] for y = wNode
  constructor(
    name: string,
    private readonly R: Float64Array, // [D, D]
    private readonly n: number,
  ) {
    this.name = name;
    this.D = Math.round(Math.sqrt(R.length));
  }

  /** The factor of R[z, z] (cached for the last z). */
  private factor(z: readonly number[]): Float64Array {
    const key = z.join(",");
    if (key === this.key) return this.L;
    const { R, D } = this;
    const k = z.length;
    const fill = (): Float64Array => {
      const A = new Float64Array(k * k);
      for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) A[a * k + b] = A[b * k + a] = R[z[a] * D + z[b]];
      return A;
    };
    let L = fill();
    // collinear conditions: a small ridge (lstsq would take the minimum-norm solution)
    if (!choleskyInPlace(L, k)) L = choleskyWithJitter(fill(), k).L;
    this.key = key;
    this.L = L;
    this.wNode = -1;
    return L;
  }

  /** L⁻¹ R[z, node] by forward substitution. */
  private solve(L: Float64Array, z: readonly number[], node: number): Float64Array {
    const { R, D } = this;
    const k = z.length;
    const u = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = R[z[a] * D + node];
      const row = a * k;
      for (let b = 0; b < a; b++) s -= L[row + b] * u[b];
      u[a] = s / L[row + a];
    }
    return u;
  }

  test(x: number, y: number, z: readonly number[]): NodeTest {
    const cond = cleanConditions(x, y, z);
    const { R, D } = this;
    let value: number;
    if (cond.length === 0) value = R[x * D + y];
    else {
      const L = this.factor(cond);
      if (this.wNode !== y) {
        this.w = this.solve(L, cond, y);
        this.wNode = y;
      }
      const u = this.solve(L, cond, x);
      const w = this.w;
      // residual (co)variances of x and y given Z: R_xx - R_xz R_zz⁻¹ R_zx etc.
      let sxx = 1;
      let syy = 1;
      let sxy = R[x * D + y];
      for (let a = 0; a < cond.length; a++) {
        sxx -= u[a] * u[a];
        syy -= w[a] * w[a];
        sxy -= u[a] * w[a];
      }
      value = sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : 0;
    }
    const df = this.n - 2 - cond.length;
    // fewer samples than conditions: untestable (tigramite's p would be NaN); p = 1 removes the link as NaN would
    if (df < 1) return { value, pvalue: 1, logP: 0 };
    const logP = logPvalueOfCorrelation(value, df);
    return { value, pvalue: Math.exp(logP), logP };
  }

  aic(y: number, parents: readonly number[]): number {
    const nodes = [y, ...cleanConditions(-1, y, parents)];
    const { R, D } = this;
    const rss = this.n * residualFraction(nodes.length, (a, b) => R[nodes[a] * D + nodes[b]]);
    return this.n * Math.log(rss) + 2 * nodes.length;
  }
}

/** A tester over explicit columns: any `CITest` (CMIknn), or ParCorr with missing cells. */
export class ArrayTester implements Tester {
  readonly name: string;
  private readonly V: number;
  constructor(
    private readonly ci: CITest,
    private readonly x: Float64Array[], // [V][T]
    private readonly rows: Int32Array, // target rows before the missing cells are left out
    private readonly mask: Uint8Array | undefined, // [T, V], 1 = missing
    private readonly seed: number,
  ) {
    this.name = ci.name;
    this.V = x.length;
    if (ci.name === "parcorr" || ci.name === "robust_parcorr") this.aic = (y, parents) => this.linearAic(y, parents);
  }

  /** The rows on which every node is observed, and each node's column over them. */
  private columns(nodes: readonly number[]): Float64Array[] {
    const { V, mask, rows } = this;
    const use = mask ? rows.filter((t) => nodes.every((p) => mask[(t - Math.floor(p / V)) * V + (p % V)] === 0)) : rows;
    return nodes.map((p) => {
      const v = p % V;
      const lag = Math.floor(p / V);
      const col = new Float64Array(use.length);
      for (let k = 0; k < use.length; k++) col[k] = this.x[v][use[k] - lag];
      return col;
    });
  }

  test(x: number, y: number, z: readonly number[]): NodeTest {
    const cond = cleanConditions(x, y, z);
    const cols = this.columns([x, y, ...cond]);
    if (cols[0].length - 2 - cond.length < 1) return { value: 0, pvalue: 1, logP: 0 };
    // a seed per test from the nodes, so results do not depend on the order tests run in
    let h = this.seed >>> 0;
    for (const p of [x, y, ...cond]) h = (Math.imul(h ^ p, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
    const r = this.ci.run(cols[0], cols[1], cols.slice(2), h);
    const logP = (r as { logPvalue?: number }).logPvalue ?? Math.log(r.pvalue);
    return { value: r.value, pvalue: r.pvalue, logP };
  }

  /** tigramite's AIC of the linear model (on normal scores for RobustParCorr); CMIknn has none. */
  readonly aic?: (y: number, parents: readonly number[]) => number;

  private linearAic(y: number, parents: readonly number[]): number {
    const nodes = [y, ...cleanConditions(-1, y, parents)];
    let cols = this.columns(nodes);
    if (this.ci.name === "robust_parcorr") cols = cols.map(normalScores);
    const n = cols[0].length;
    const R = correlationMatrix(cols);
    const m = nodes.length;
    const rss = n * residualFraction(m, (a, b) => R[a * m + b]);
    return n * Math.log(rss) + 2 * m;
  }
}

/** Which conditional-independence test a run uses. */
export type TestName = "parcorr" | "robust_parcorr" | "cmiknn";

/** Options for `makeTester`. */
export interface TesterOptions {
  test: TestName;
  /** Largest node lag any test may use (2 tau_max for PCMCI's lagged conditions of X). */
  maxNodeLag: number;
  seed?: number;
  /** The CI test for `test: "cmiknn"` (or any custom one). */
  ci?: CITest;
}

/**
 * The tester of a run: ParCorr / RobustParCorr on one correlation matrix when no cell is missing,
 * else per-test columns. Rows: target rows whose window of `maxNodeLag` stays in one recording.
 */
export function makeTester(series: TimeSeries, rows: Int32Array, o: TesterOptions): Tester {
  const V = series.variables.length;
  const x = standardisedColumns(series.data, series.length, V);
  const mask = hasMissing(series) ? series.mask : undefined;
  if (o.test === "parcorr" && !mask) return new GramTester("parcorr", laggedCorrelation(x, o.maxNodeLag, rowRuns(rows)), rows.length);
  if (o.test === "robust_parcorr" && !mask) return new GramTester("robust_parcorr", laggedRobustCorrelation(x, o.maxNodeLag, rows), rows.length);
  // missing cells: each test on the rows where its nodes are observed
  const ci = o.ci ?? (o.test === "parcorr" ? parCorr : o.test === "robust_parcorr" ? robustParCorr : undefined);
  if (!ci) throw new Error(`no conditional-independence test given for "${o.test}"`);
  return new ArrayTester(ci, x, rows, mask, o.seed ?? 0);
}
