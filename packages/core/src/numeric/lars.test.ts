import { describe, expect, it } from "vitest";
import { lassoLarsIC, lassoLarsPath } from "./lars.js";

// n = 30, p = 5: x_ij = sin(0.7 i (j + 1) + j) + 0.3 cos(1.3 i + 2 j), y = 1.5 x0 - 0.8 x2 + 0.05 x4 + 0.4 sin(2.1 i);
// the expected path and LassoLarsIC(bic) coefficients are scikit-learn 1.2.1's (lars_path method="lasso")
const n = 30;
const p = 5;
const X = Float64Array.from({ length: n * p }, (_, k) => {
  const [i, j] = [Math.floor(k / p), k % p];
  return Math.sin(0.7 * i * (j + 1) + j) + 0.3 * Math.cos(1.3 * i + 2 * j);
});
const y = Float64Array.from({ length: n }, (_, i) => 1.5 * X[i * p] - 0.8 * X[i * p + 2] + 0.05 * X[i * p + 4] + 0.4 * Math.sin(2.1 * i));

function centredStats() {
  const mx = new Float64Array(p);
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += y[i] / n;
    for (let j = 0; j < p; j++) mx[j] += X[i * p + j] / n;
  }
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = 0;
  for (let i = 0; i < n; i++) {
    const yc = y[i] - my;
    yty += yc * yc;
    for (let a = 0; a < p; a++) {
      const xa = X[i * p + a] - mx[a];
      xty[a] += xa * yc;
      for (let b = 0; b < p; b++) gram[a * p + b] += xa * (X[i * p + b] - mx[b]);
    }
  }
  return { gram, xty, yty };
}

describe("lassoLarsPath", () => {
  it("gives scikit-learn's knots and alphas", () => {
    const { gram, xty } = centredStats();
    const { coefs, alphas } = lassoLarsPath(gram, xty, p, n);
    const expected = [
      [0, 0, 0, 0, 0],
      [0.49555257028, 0, 0, 0, 0],
      [1.401051707618, 0, -0.897458749737, 0, 0],
      [1.457809255419, 0, -0.945314605843, 0, 0.051422358461],
      [1.47647984181, 0, -0.961272568215, -0.017465298261, 0.057521807936],
      [1.47768202133, 0.000744362189, -0.962226950379, -0.018735123925, 0.057719175249],
    ];
    expect(coefs.length).toBe(expected.length);
    coefs.forEach((c, k) => c.forEach((v, j) => expect(v).toBeCloseTo(expected[k][j], 10)));
    [0.848690708616, 0.582085588979, 0.043172306219, 0.01058199892, 0.000662424385, 0].forEach((a, k) => expect(alphas[k]).toBeCloseTo(a, 10));
  });
});

describe("lassoLarsIC", () => {
  it("picks scikit-learn's BIC knot", () => {
    const { gram, xty, yty } = centredStats();
    const r = lassoLarsIC(gram, xty, yty, p, n, "bic");
    expect(r.knot).toBe(2);
    [1.401051707618, 0, -0.897458749737, 0, 0].forEach((v, j) => expect(r.coef[j]).toBeCloseTo(v, 10));
  });
});
