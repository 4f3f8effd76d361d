/**
 * Bound-constrained limited-memory BFGS: minimise a smooth f(x) subject to l <= x <= u. A projected
 * quasi-Newton method in the spirit of L-BFGS-B (Byrd, Lu, Nocedal, Zhu, SIAM J. Sci. Comput. 16(5),
 * 1995): variables held at a bound by their gradient are fixed, the two-loop recursion (Nocedal &
 * Wright 2006, Algorithm 7.4) gives the step on the free ones, and a backtracking Armijo search runs
 * along the projected path. It replaces the generalized Cauchy point and subspace minimisation of
 * L-BFGS-B with this simpler active-set rule, which reaches the same minimiser on convex and
 * locally convex problems (non-negativity splits such as NOTEARS' w = w⁺ - w⁻).
 */

/** Settings of `minimizeBounded`. */
export interface LbfgsbOptions {
  /** Pairs (s, y) kept for the inverse-Hessian approximation (L-BFGS-B's m). Default 10. */
  memory?: number;
  /** Iteration limit. Default 15000 (scipy's maxiter). */
  maxIter?: number;
  /** Stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= ftol. Default 2.2e-9 (scipy's). */
  ftol?: number;
  /** Stop when the largest projected-gradient entry is <= pgtol. Default 1e-5 (scipy's gtol). */
  pgtol?: number;
}

/** What `minimizeBounded` returns. */
export interface LbfgsbResult {
  x: Float64Array;
  f: number;
  iterations: number;
  /** True when ftol or pgtol stopped it (false: the iteration limit, or no descent step). */
  converged: boolean;
}

/**
 * Minimise `fg(x, grad)` (returns f and writes ∇f into `grad`) over the box `lower <= x <= upper`
 * (use -Infinity / Infinity for a free side; lower = upper fixes a variable), from `x0`.
 *
 * @example
 * // min (x - 2)² + (y + 1)² with x <= 1, y >= 0  ->  x = 1, y = 0
 * const r = minimizeBounded((x, g) => { g[0] = 2 * (x[0] - 2); g[1] = 2 * (x[1] + 1); return (x[0] - 2) ** 2 + (x[1] + 1) ** 2; },
 *   new Float64Array(2), new Float64Array([-Infinity, 0]), new Float64Array([1, Infinity]));
 */
export function minimizeBounded(
  fg: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: LbfgsbOptions = {},
): LbfgsbResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const maxIter = options.maxIter ?? 15000;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const pgtol = options.pgtol ?? 1e-5;
  const project = (v: Float64Array): void => {
    for (let i = 0; i < n; i++) v[i] = Math.min(upper[i], Math.max(lower[i], v[i]));
  };
  let x = Float64Array.from(x0);
  project(x);
  let g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhos: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const alphas = new Float64Array(m);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  for (let iter = 0; iter < maxIter; iter++) {
    // free variables: not held at a bound by the gradient; projected gradient norm
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const atLower = x[i] <= lower[i] && g[i] > 0;
      const atUpper = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLower || atUpper || lower[i] === upper[i] ? 0 : 1;
      if (free[i]) pgMax = Math.max(pgMax, Math.abs(g[i]));
    }
    if (pgMax <= pgtol) return { x, f, iterations: iter, converged: true };
    // two-loop recursion on the free subspace: d = -H g
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i]) a += S[j][i] * d[i];
      a *= rhos[j];
      alphas[j] = a;
      for (let i = 0; i < n; i++) if (free[i]) d[i] -= a * Y[j][i];
    }
    if (k > 0) {
      // initial Hessian scaling γ = sᵀy / yᵀy of the newest pair
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k - 1][i] * Y[k - 1][i];
        yy += Y[k - 1][i] * Y[k - 1][i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i]) b += Y[j][i] * d[i];
      b *= rhos[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] += (alphas[j] - b) * S[j][i];
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i] * g[i];
    if (!(slope < 0)) {
      // the curvature pairs no longer give descent on this face: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rhos.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    }
    // backtracking Armijo search along the projected path x(t) = P(x + t d)
    let t = k === 0 && S.length === 0 ? Math.min(1, 1 / Math.max(pgMax, 1e-300)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
      project(xNew);
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) return { x, f, iterations: iter, converged: false };
    // curvature pair, kept when sᵀy is safely positive (as L-BFGS-B skips the others)
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 2.2e-16 * yy) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rhos.shift();
      }
      S.push(s);
      Y.push(y);
      rhos.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) return { x, f, iterations: iter + 1, converged: true };
  }
  return { x, f, iterations: maxIter, converged: false };
}
