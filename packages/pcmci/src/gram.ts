/**
 * The lagged design's correlation matrix, built once per run: every node (v, lag), lag 0..L,
 * meaning x_v(t - lag), over the common target rows t. Each ParCorr test is then a small solve on
 * a sub-block of it (no refitting over T rows).
 */
import { normalScores } from "./parcorr.js";

/** Contiguous target-row runs `[start, end)` of an ascending row list (one per recording). */
export function rowRuns(rows: Int32Array): [number, number][] {
  const runs: [number, number][] = [];
  for (let k = 0; k < rows.length; ) {
    let e = k + 1;
    while (e < rows.length && rows[e] === rows[e - 1] + 1) e++;
    runs.push([rows[k], rows[e - 1] + 1]);
    k = e;
  }
  return runs;
}

/** Variables as `[V][T]` rows, centred and scaled by their overall mean and sd (ParCorr is invariant to it; it conditions the sums); missing cells read 0. */
export function standardisedColumns(data: Float64Array, T: number, V: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let v = 0; v < V; v++) {
    const col = new Float64Array(T);
    let mean = 0;
    let seen = 0;
    for (let t = 0; t < T; t++) {
      const value = data[t * V + v];
      // a missing cell (NaN) reads 0 here; the masked tests never use its rows
      col[t] = Number.isFinite(value) ? value : 0;
      if (Number.isFinite(value)) {
        mean += value;
        seen++;
      }
    }
    mean /= Math.max(seen, 1);
    let ss = 0;
    for (let t = 0; t < T; t++) ss += (col[t] -= mean) ** 2;
    const sd = Math.sqrt(ss / T) || 1;
    for (let t = 0; t < T; t++) col[t] /= sd;
    out.push(col);
  }
  return out;
}

/** Σ_{t = from}^{to - 1} a[t] b[t - d], four partial sums (independent chains run in parallel on the CPU). */
function laggedDot(a: Float64Array, b: Float64Array, d: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = from;
  for (; t + 3 < to; t += 4) {
    s0 += a[t] * b[t - d];
    s1 += a[t + 1] * b[t + 1 - d];
    s2 += a[t + 2] * b[t + 2 - d];
    s3 += a[t + 3] * b[t + 3 - d];
  }
  for (; t < to; t++) s0 += a[t] * b[t - d];
  return s0 + s1 + (s2 + s3);
}

/**
 * Correlation matrix `[D, D]`, D = V (L + 1), node index `lag * V + v`, of the lagged columns
 * x_v(t - lag) over the rows of `runs` (each run must start at >= L inside its recording).
 *
 * Shift trick: Σ_t x_a(t - la) x_b(t - lb) over [s, e) equals the lag-difference sum
 * Σ_t x_a(t) x_b(t - (lb - la)) over [s, e) plus the rows that enter and leave when the window
 * moves back by la, so only V² (L + 1) full-length sums are needed (not D² / 2).
 * Cost O(V² (L + 1) n + D² L).
 */
export function laggedCorrelation(x: Float64Array[], L: number, runs: [number, number][]): Float64Array {
  const { S, sums, n } = laggedCrossProducts(x, L, runs);
  return toCorrelation(S, sums, x.length * (L + 1), n);
}

/**
 * The raw cross-products and node sums behind `laggedCorrelation`, for the variables `vars` (default
 * all): the entries of node pairs whose first node's variable is in `vars`, and the sums of their
 * nodes; every other entry 0. Each entry comes from one variable's loop, so parts over disjoint
 * `vars` add up to the whole bit for bit (a split run builds the matrix on several threads).
 */
export function laggedCrossProducts(x: Float64Array[], L: number, runs: [number, number][], vars?: readonly number[]): { S: Float64Array; sums: Float64Array; n: number } {
  const V = x.length;
  const D = V * (L + 1);
  const own = vars ?? Array.from({ length: V }, (_, v) => v);
  let n = 0;
  for (const [s, e] of runs) n += e - s;
  const S = new Float64Array(D * D); // raw cross-products
  const sums = new Float64Array(D); // Σ_t x_v(t - lag) per node
  for (const [s, e] of runs) {
    for (const v of own)
      for (let l = 0; l <= L; l++) {
        let sum = 0;
        for (let t = s - l; t < e - l; t++) sum += x[v][t];
        sums[l * V + v] += sum;
      }
    for (const a of own)
      for (let b = 0; b < V; b++)
        for (let d = 0; d <= L; d++) {
          if (d === 0 && b > a) continue; // lag difference 0 is symmetric
          const xa = x[a];
          const xb = x[b];
          // node pairs (a, la) and (b, la + d) for la = 0 .. L - d
          let base = laggedDot(xa, xb, d, s, e);
          for (let la = 0; la + d <= L; la++) {
            if (la > 0) base += xa[s - la] * xb[s - la - d] - xa[e - la] * xb[e - la - d];
            const p = la * V + a;
            const q = (la + d) * V + b;
            S[p * D + q] += base;
            if (p !== q) S[q * D + p] += base;
          }
        }
  }
  return { S, sums, n };
}

/** Correlations from raw cross-products `S` and sums over n rows (in place). */
export function toCorrelation(S: Float64Array, sums: Float64Array, D: number, n: number): Float64Array {
  const mean = sums.map((s) => s / n);
  for (let p = 0; p < D; p++) for (let q = 0; q < D; q++) S[p * D + q] = S[p * D + q] / n - mean[p] * mean[q];
  const sd = new Float64Array(D);
  for (let p = 0; p < D; p++) sd[p] = Math.sqrt(Math.max(S[p * D + p], 0));
  for (let p = 0; p < D; p++)
    for (let q = 0; q < D; q++) S[p * D + q] = p === q ? 1 : sd[p] > 0 && sd[q] > 0 ? S[p * D + q] / (sd[p] * sd[q]) : 0;
  return S;
}

/**
 * The same matrix for RobustParCorr: each node's column over the rows is mapped to normal scores
 * first (the ranks differ per lag window), then one direct Gram. Cost O(D² n / 2 + D n log n).
 */
export function laggedRobustCorrelation(x: Float64Array[], L: number, rows: Int32Array): Float64Array {
  const V = x.length;
  const D = V * (L + 1);
  const n = rows.length;
  const cols: Float64Array[] = [];
  for (let l = 0; l <= L; l++)
    for (let v = 0; v < V; v++) {
      const c = new Float64Array(n);
      for (let k = 0; k < n; k++) c[k] = x[v][rows[k] - l];
      cols.push(normalScores(c));
    }
  const S = new Float64Array(D * D);
  const sums = new Float64Array(D);
  for (let p = 0; p < D; p++) {
    const cp = cols[p];
    let s = 0;
    for (let k = 0; k < n; k++) s += cp[k];
    sums[p] = s;
    for (let q = 0; q <= p; q++) {
      const cq = cols[q];
      let dot = 0;
      for (let k = 0; k < n; k++) dot += cp[k] * cq[k];
      S[p * D + q] = S[q * D + p] = dot;
    }
  }
  return toCorrelation(S, sums, D, n);
}
