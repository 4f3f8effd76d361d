// A synthetic forecasting task with known causal tokens and confounded distractors.
import { InputError, Rng, type TimeSeries } from "@causeway/core";

/** Options of `confoundedTask`. */
export interface ConfoundedTaskOptions {
  /** Rows T (default 2000). */
  length?: number;
  /** Lag of each cause of the target (default [2, 3, 5, 7]: one cause variable per lag). */
  causeLags?: number[];
  /** How far each distractor runs ahead of the confounder, in steps (default [0, 1, 2, 3, 4, 5]: six distractors). */
  distractorLeads?: number[];
  /** Pure noise variables (default 2). */
  noise?: number;
  /** AR(1) coefficient of the unit-variance confounder Z (default 0.95). */
  phi?: number;
  /** Noise standard deviation of each cause around Z (default 1.2). */
  causeNoise?: number;
  /** Noise standard deviation of each distractor around Z (default 0.3). */
  distractorNoise?: number;
  /** Noise standard deviation of the target (default 1). */
  targetNoise?: number;
  seed?: number;
}

/** Role of each variable of the task. */
export type VariableRole = "target" | "cause" | "distractor" | "noise";

/** The series and its ground truth. */
export interface ConfoundedTask {
  /** Variables `y, c1.., d1.., n1..` (target first). */
  series: TimeSeries;
  roles: VariableRole[];
  /** Index of the target variable (0). */
  target: number;
  /** The causal (variable, lag) pairs of the target: `y(t) = sum_i c_i(t - lag_i) + noise`. */
  causes: { variable: number; lag: number }[];
}

/**
 * A confounded forecasting task. An unobserved AR(1) confounder `Z` drives everything:
 *
 * - causes `c_i(t) = Z(t) + causeNoise * e_i(t)`, and the target `y(t) = sum_i c_i(t - lag_i) + targetNoise * e(t)`;
 * - distractors `d_j(t) = Z(t + lead_j) + distractorNoise * e_j(t)`: clean readings of the confounder
 *   with no effect on `y`: given the causal tokens `c_i(t - lag_i)`, `y(t)` is independent of every
 *   other token, so the best forecaster uses the K causal tokens and nothing else;
 * - noise variables: i.i.d. N(0, 1).
 *
 * Why correlation is misled: `y` sums K causes that share `Z`, so `cov(y, Z-reading) ~ K` while one
 * cause token adds only its own noise, `cov(y, c_i) ~ K + causeNoise^2`, at a larger variance
 * `1 + causeNoise^2`. With the defaults (K = 4, causeNoise 1.2, a slow `Z`, phi 0.95) and an 8-step
 * window, each cause token correlates less with `y` (|r| 0.68-0.71 at T = 20000) than 26 distractor
 * tokens do (up to 0.76), although the causal tokens alone give the best linear forecast and the
 * distractors alone leave about 7 times its error. With weaker confounding (e.g. K = 3, causeNoise 1.5, phi 0.9) the cause
 * tokens are the most correlated ones and correlation-based selection works.
 *
 * @example const { series, causes } = confoundedTask({ seed: 1 }); // V = 13: y, c1..c4, d1..d6, n1, n2
 */
export function confoundedTask(opts: ConfoundedTaskOptions = {}): ConfoundedTask {
  const T = opts.length ?? 2000;
  const lags = opts.causeLags ?? [2, 3, 5, 7];
  const leads = opts.distractorLeads ?? [0, 1, 2, 3, 4, 5];
  const noise = opts.noise ?? 2;
  const phi = opts.phi ?? 0.95;
  const sc = opts.causeNoise ?? 1.2;
  const sd = opts.distractorNoise ?? 0.3;
  const sy = opts.targetNoise ?? 1;
  if (!Number.isInteger(T) || T < 10) throw new InputError(`confoundedTask: length must be an integer >= 10, got ${T}`);
  if (lags.length === 0 || lags.some((l) => !Number.isInteger(l) || l < 1)) throw new InputError(`confoundedTask: causeLags must be positive integers, got [${lags}]`);
  if (leads.some((l) => !Number.isInteger(l) || l < 0)) throw new InputError(`confoundedTask: distractorLeads must be integers >= 0, got [${leads}]`);
  if (!(Math.abs(phi) < 1)) throw new InputError(`confoundedTask: phi must be in (-1, 1), got ${phi}`);
  const rng = new Rng(opts.seed ?? 0);
  const maxLead = Math.max(0, ...leads);
  const burn = 50;
  const z = new Float64Array(burn + T + maxLead); // Z at t - burn
  for (let t = 1; t < z.length; t++) z[t] = phi * z[t - 1] + Math.sqrt(1 - phi * phi) * rng.normal();
  const Z = (t: number) => z[burn + t];
  const K = lags.length;
  const V = 1 + K + leads.length + noise;
  const data = new Float64Array(T * V); // [T, V]
  const variables = ["y", ...lags.map((_, i) => `c${i + 1}`), ...leads.map((_, j) => `d${j + 1}`), ...Array.from({ length: noise }, (_, k) => `n${k + 1}`)];
  const roles: VariableRole[] = ["target", ...lags.map(() => "cause" as const), ...leads.map(() => "distractor" as const), ...Array.from({ length: noise }, () => "noise" as const)];
  // causes need their values before t = 0: run them from -maxLag
  const maxLag = Math.max(...lags);
  const c = lags.map(() => new Float64Array(T + maxLag)); // c_i at t + maxLag
  for (let t = -maxLag; t < T; t++) for (let i = 0; i < K; i++) c[i][t + maxLag] = (burn + t >= 0 ? Z(t) : 0) + sc * rng.normal();
  for (let t = 0; t < T; t++) {
    let y = sy * rng.normal();
    for (let i = 0; i < K; i++) y += c[i][t - lags[i] + maxLag];
    data[t * V] = y;
    for (let i = 0; i < K; i++) data[t * V + 1 + i] = c[i][t + maxLag];
    for (let j = 0; j < leads.length; j++) data[t * V + 1 + K + j] = Z(t + leads[j]) + sd * rng.normal();
    for (let k = 0; k < noise; k++) data[t * V + 1 + K + leads.length + k] = rng.normal();
  }
  return { series: { variables, length: T, data }, roles, target: 0, causes: lags.map((lag, i) => ({ variable: 1 + i, lag })) };
}
