/**
 * The λ path that turns sparse neural fits into a ranking of every edge ("lambda: auto").
 *
 * Why upward: with a ridge on the output layer and a group penalty on the first layer, the
 * all-zero first layer is a local minimum for every λ > 0 (near it the cost of a product
 * w2·W1 = u behaves like |u|^(2/3)), so a path that starts from zero and lowers λ never
 * leaves zero. The path therefore starts from a dense fit at a small λ and raises λ
 * geometrically, each step warm-started from the previous one; groups leave the model in
 * order of how little the fit needs them. A group's score grows with the λ up to which it
 * stayed non-zero (groups leaving at the same step are ordered by their norm there):
 * `score = λ* / (λ* + LAMBDA_REF)`, so that it depends on λ alone, not on the path's grid.
 */

/** λ at which a group's path score is 0.5 (on z-scored data; ~0.1 suits a fixed-λ fit too). */
export const LAMBDA_REF = 0.1;

/** Bookkeeping of the last step at which each group `[Vt, Vin, L]` (target, input series, lag) was non-zero. */
export class LambdaPath {
  /** Last step at which each group was non-zero (-1: never), `[Vt, Vin, L]`. */
  readonly lastAlive: Int32Array;
  /** Norm of each group at its last non-zero step, as a fraction of its target's largest norm then. */
  readonly relNorm: Float64Array;

  /**
   * @param start λ at step 0
   * @param factor λ ratio between consecutive steps (> 1)
   * @param steps most steps
   */
  constructor(
    readonly Vt: number,
    readonly Vin: number,
    readonly L: number,
    readonly start: number,
    readonly factor: number,
    readonly steps: number,
  ) {
    if (!(start > 0)) throw new Error(`λ path start must be > 0, got ${start}`);
    if (!(factor > 1)) throw new Error(`λ path factor must be > 1, got ${factor}`);
    if (!(steps >= 1)) throw new Error(`a λ path needs at least 1 step, got ${steps}`);
    this.lastAlive = new Int32Array(Vt * Vin * L).fill(-1);
    this.relNorm = new Float64Array(Vt * Vin * L);
  }

  /** λ at step s: `start · factor^s`. */
  lambda(s: number): number {
    return this.start * this.factor ** s;
  }

  /**
   * Record the group norms `[Vt, Vin, L]` after step s. Returns the largest number of input
   * series still non-zero in any target: at <= 1 the path can stop (the order within every
   * target is settled; larger λ only remove each target's last series).
   */
  record(s: number, norms: ArrayLike<number>): number {
    const { Vin, L } = this;
    const per = Vin * L;
    let mostAlive = 0;
    for (let i = 0; i < this.Vt; i++) {
      let max = 0;
      for (let g = i * per; g < (i + 1) * per; g++) max = Math.max(max, norms[g]);
      let alive = 0;
      for (let j = 0; j < Vin; j++) {
        let seriesAlive = false;
        for (let l = 0; l < L; l++) {
          const g = i * per + j * L + l;
          if (!(norms[g] > 0)) continue;
          seriesAlive = true;
          this.lastAlive[g] = s;
          this.relNorm[g] = norms[g] / max;
        }
        if (seriesAlive) alive++;
      }
      mostAlive = Math.max(mostAlive, alive);
    }
    return mostAlive;
  }

  /**
   * Scores `[Vt, Vin, L]` in [0, 1): `λ* / (λ* + LAMBDA_REF)` where `λ* = λ_a · factor^ν` for a
   * group last non-zero at step a with norm ν there (as a fraction of its target's largest
   * norm), i.e. between λ_a and λ_{a+1}: the step first, the norm within a step. 0 for a group
   * that was never non-zero.
   */
  scores(): Float64Array {
    const out = new Float64Array(this.lastAlive.length);
    for (let g = 0; g < out.length; g++) {
      const a = this.lastAlive[g];
      if (a < 0) continue;
      const lam = this.lambda(a) * this.factor ** this.relNorm[g];
      out[g] = lam / (lam + LAMBDA_REF);
    }
    return out;
  }

  /** The λ* of a score (inverse of the score map): `LAMBDA_REF · s / (1 - s)`. */
  static lambdaAtScore(score: number): number {
    return (LAMBDA_REF * score) / (1 - score);
  }
}
