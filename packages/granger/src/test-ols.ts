// Test helper: a reference OLS written plainly, to check var's Gram-based F-tests against.

/** RSS of the least-squares fit `y ~ cols` (normal equations solved by Gaussian elimination). */
export function rssOf(y: number[], cols: number[][]): number {
  const k = cols.length;
  const n = y.length;
  const A = Array.from({ length: k }, (_, i) => [...cols.map((c) => c.reduce((s, v, t) => s + v * cols[i][t], 0)), cols[i].reduce((s, v, t) => s + v * y[t], 0)]);
  for (let i = 0; i < k; i++) {
    for (let r = i + 1; r < k; r++) {
      const f = A[r][i] / A[i][i];
      for (let c = i; c <= k; c++) A[r][c] -= f * A[i][c];
    }
  }
  const beta = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = A[i][k];
    for (let c = i + 1; c < k; c++) s -= A[i][c] * beta[c];
    beta[i] = s / A[i][i];
  }
  let rss = 0;
  for (let t = 0; t < n; t++) {
    let f = 0;
    for (let i = 0; i < k; i++) f += beta[i] * cols[i][t];
    rss += (y[t] - f) ** 2;
  }
  return rss;
}
