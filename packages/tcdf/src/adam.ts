/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on a flat parameter vector, with PyTorch's defaults
 * (beta1 0.9, beta2 0.999, eps 1e-8 added to the bias-corrected sqrt(v)), as the TCDF
 * reference implementation trains with `torch.optim.Adam`.
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update `theta -= lr * mhat / (sqrt(vhat) + eps)`, in place. */
  step(theta: Float64Array, grad: Float64Array): void {
    const { m, v, beta1, beta2, eps } = this;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const lr = this.lr;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      theta[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}
