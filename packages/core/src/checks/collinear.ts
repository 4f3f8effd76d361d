/**
 * Duplicated and collinear variables, from the correlation matrix R of the variables over the rows
 * where every one is present: duplicates are pairs with |r| >= 1 - 1e-10; collinearity is a
 * condition number κ(R) = λmax/λmin above `COLLINEAR_CONDITION` (a condition index √κ above 30,
 * Belsley, Kuh & Welsch 1980, "Regression Diagnostics" §3.2), the group named by the eigenvector of
 * λmin. Cost O(n V²) for R, O(V³) for its Cholesky factor (both below any method's own fit).
 */
import { choleskyWithJitter } from "../numeric/linalg.js";
import type { TimeSeries } from "../types.js";

/** κ(R) above which variables are collinear: condition index 30 (Belsley, Kuh & Welsch 1980). */
export const COLLINEAR_CONDITION = 900;
/** |r| at or above which two variables are duplicates (one is an affine copy of the other). */
export const DUPLICATE_CORRELATION = 1 - 1e-10;
/** Rows per variable below which κ(R) is not judged: sampling alone makes R ill-conditioned when n is near V. */
export const ROWS_PER_VARIABLE = 5;
/** A variable belongs to the collinear group when its loading on λmin's eigenvector is at least this. */
const GROUP_LOADING = 0.1;
const POWER_ITERATIONS = 200;

/** What `collinearity` found (indices are columns of the series). */
export interface CollinearResult {
  /** Pairs [i, j, r] of duplicated variables. */
  duplicates: [number, number, number][];
  /** κ(R) of the variables left after dropping duplicates and constant ones (undefined: not judged). */
  condition?: number;
  /** Variables of the near-dependency when `condition` exceeds `COLLINEAR_CONDITION`, strongest loading first. */
  group: number[];
}

/** Rows (0-based) with no missing cell; every row when there is no mask. */
function completeRows(series: TimeSeries): Int32Array {
  const V = series.variables.length;
  const { mask } = series;
  if (!mask) return Int32Array.from({ length: series.length }, (_, t) => t);
  const rows: number[] = [];
  for (let t = 0; t < series.length; t++) {
    let ok = true;
    for (let v = 0; v < V && ok; v++) ok = mask[t * V + v] === 0;
    if (ok) rows.push(t);
  }
  return Int32Array.from(rows);
}

/** y = A x for the symmetric `[m, m]` matrix A. */
function multiply(A: Float64Array, m: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += A[i * m + j] * x[j];
    y[i] = s;
  }
}

/** Solve L Lᵀ y = x (`L` lower-triangular `[m, m]`). */
function cholSolve(L: Float64Array, m: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = x[i];
    for (let j = 0; j < i; j++) s -= L[i * m + j] * y[j];
    y[i] = s / L[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i];
    for (let j = i + 1; j < m; j++) s -= L[j * m + i] * y[j];
    y[i] = s / L[i * m + i];
  }
}

function normalize(x: Float64Array): void {
  let s = 0;
  for (const v of x) s += v * v;
  s = Math.sqrt(s) || 1;
  for (let i = 0; i < x.length; i++) x[i] /= s;
}

/** Rayleigh quotient xᵀAx of a unit vector. */
function rayleigh(A: Float64Array, m: number, x: Float64Array, tmp: Float64Array): number {
  multiply(A, m, x, tmp);
  let s = 0;
  for (let i = 0; i < m; i++) s += x[i] * tmp[i];
  return s;
}

/**
 * Duplicated pairs and the condition number of the variables' correlation matrix (power iteration
 * for λmax, inverse iteration through a Cholesky factor for λmin and its eigenvector).
 *
 * @example const { duplicates, condition, group } = collinearity(series);
 */
export function collinearity(series: TimeSeries): CollinearResult {
  const V = series.variables.length;
  const rows = completeRows(series);
  const n = rows.length;
  const out: CollinearResult = { duplicates: [], group: [] };
  if (V < 2 || n < 3) return out;
  const { data } = series; // [T, V]
  // standardised columns over the complete rows; constant ones are left out (near_constant says so)
  const Z: Float64Array[] = [];
  const cols: number[] = [];
  for (let v = 0; v < V; v++) {
    let mean = 0;
    for (const t of rows) mean += data[t * V + v];
    mean /= n;
    const z = new Float64Array(n);
    let ss = 0;
    for (let i = 0; i < n; i++) {
      z[i] = data[rows[i] * V + v] - mean;
      ss += z[i] * z[i];
    }
    const sd = Math.sqrt(ss);
    if (!(sd > 0) || !Number.isFinite(sd)) continue;
    for (let i = 0; i < n; i++) z[i] /= sd;
    Z.push(z);
    cols.push(v);
  }
  // correlations [m, m], dropping the second of each duplicated pair
  const keep: number[] = [];
  const m0 = cols.length;
  const R0 = new Float64Array(m0 * m0);
  for (let a = 0; a < m0; a++) {
    R0[a * m0 + a] = 1;
    for (let b = 0; b < a; b++) {
      let s = 0;
      const za = Z[a];
      const zb = Z[b];
      for (let i = 0; i < n; i++) s += za[i] * zb[i];
      R0[a * m0 + b] = s;
      R0[b * m0 + a] = s;
    }
  }
  for (let a = 0; a < m0; a++) {
    let dup = false;
    for (const b of keep)
      if (Math.abs(R0[a * m0 + b]) >= DUPLICATE_CORRELATION) {
        out.duplicates.push([cols[b], cols[a], R0[a * m0 + b]]);
        dup = true;
        break;
      }
    if (!dup) keep.push(a);
  }
  const m = keep.length;
  if (m < 2 || n < ROWS_PER_VARIABLE * m) return out;
  const R = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) R[i * m + j] = R0[keep[i] * m0 + keep[j]];
  const tmp = new Float64Array(m);
  // λmax: power iteration from the all-ones vector
  let x = new Float64Array(m).fill(1 / Math.sqrt(m));
  let y = new Float64Array(m);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    multiply(R, m, x, y);
    normalize(y);
    [x, y] = [y, x];
  }
  const lambdaMax = rayleigh(R, m, x, tmp);
  // λmin: inverse iteration; a singular R gets the smallest ridge that factors it
  const { L } = choleskyWithJitter(R, m);
  x = new Float64Array(m).map((_, i) => 1 + ((i * 7919) % 13) / 13); // not orthogonal to any eigenvector in practice
  normalize(x);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    cholSolve(L, m, x, y);
    normalize(y);
    [x, y] = [y, x];
  }
  const lambdaMin = Math.max(rayleigh(R, m, x, tmp), 0);
  out.condition = lambdaMin > 0 ? lambdaMax / lambdaMin : Infinity;
  if (out.condition > COLLINEAR_CONDITION) {
    const loads = keep.map((a, i) => ({ v: cols[a], w: Math.abs(x[i]) })).filter((l) => l.w >= GROUP_LOADING);
    loads.sort((p, q) => q.w - p.w);
    out.group = loads.map((l) => l.v);
  }
  return out;
}
