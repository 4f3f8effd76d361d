/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on flat float64 parameter vectors, with PyTorch's
 * defaults (beta1 0.9, beta2 0.999, eps 1e-8 added to the bias-corrected sqrt(v)), as
 * `torch.optim.Adam` computes it. `adamDelta` is the update of one parameter (for optimisers
 * that keep their own step counters, such as granger's per-target ISTA/Adam trainer);
 * `Adam` applies it to a whole vector.
 */

/** PyTorch's Adam defaults. */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/**
 * Adam's update of parameter `i` at step `t`: the moments `m[i]`, `v[i]` are updated in place with
 * gradient `g`, and the returned `lr * mhat / (sqrt(vhat) + eps)` is what to subtract from the
 * parameter. `c1 = 1 - beta1^t`, `c2 = 1 - beta2^t` are the bias corrections (computed once per step).
 *
 * @example theta[i] -= adamDelta(m, v, i, grad[i], 1e-3, 1 - 0.9 ** t, 1 - 0.999 ** t);
 */
export function adamDelta(
  m: Float64Array,
  v: Float64Array,
  i: number,
  g: number,
  lr: number,
  c1: number,
  c2: number,
  beta1: number = ADAM_DEFAULTS.beta1,
  beta2: number = ADAM_DEFAULTS.beta2,
  eps: number = ADAM_DEFAULTS.eps,
): number {
  m[i] = beta1 * m[i] + (1 - beta1) * g;
  v[i] = beta2 * v[i] + (1 - beta2) * g * g;
  return (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
}

/** Adam over one flat parameter vector `[size]`, its moments kept between steps. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1: number = ADAM_DEFAULTS.beta1,
    private readonly beta2: number = ADAM_DEFAULTS.beta2,
    private readonly eps: number = ADAM_DEFAULTS.eps,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update `theta -= lr * mhat / (sqrt(vhat) + eps)`, in place (`theta`, `grad`: `[size]`). */
  step(theta: Float64Array, grad: Float64Array): void {
    const { m, v, lr, beta1, beta2, eps } = this;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let i = 0; i < theta.length; i++) theta[i] -= adamDelta(m, v, i, grad[i], lr, c1, c2, beta1, beta2, eps);
  }
}
