import * as tf from "@tensorflow/tfjs-core";
import { ADAM_DEFAULTS } from "./adam.js";

/**
 * AdamW (Loshchilov & Hutter 2019, Algorithm 2) on tensors: Adam's update (the same bias-corrected
 * step as `Adam` in adam.ts, computed on the backend in float32) plus decoupled weight decay,
 * `x -= lr * (mhat / (sqrt(vhat) + eps) + decay * x)`, with no decay on variables of rank < 2
 * (biases, norm gains). The moments `m`, `v` and the step count `t` are public so that a trainer can
 * checkpoint and restore them.
 */
export class AdamW {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  t = 0;
  constructor(
    readonly vars: tf.Variable[],
    readonly beta1: number = ADAM_DEFAULTS.beta1,
    readonly beta2: number = ADAM_DEFAULTS.beta2,
    readonly eps: number = ADAM_DEFAULTS.eps,
  ) {
    // inside tidy, so that the zeros the variables start from are not left behind
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** One step with gradients `grads[i]` (shaped like `vars[i]`), step size `lr` and decay `weightDecay`. */
  apply(grads: tf.Tensor[], lr: number, weightDecay: number): void {
    this.t++;
    const c1 = 1 - Math.pow(this.beta1, this.t);
    const c2 = 1 - Math.pow(this.beta2, this.t);
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[i];
        this.m[i].assign(tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(this.m[i], c1), tf.add(tf.sqrt(tf.div(this.v[i], c2)), this.eps));
        const decay = x.rank >= 2 ? weightDecay : 0; // no decay on biases and norm gains
        x.assign(tf.sub(x, tf.mul(tf.add(update, tf.mul(x, decay)), lr)));
      });
    });
  }

  /** Frees the moments (not the variables). */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
