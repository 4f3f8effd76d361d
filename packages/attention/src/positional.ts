import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";

/**
 * Sinusoidal positional encoding `[time, dModel]` (Vaswani et al. 2017, Sec. 3.5):
 * `PE[t, 2i] = sin(t / 10000^(2i / dModel))`, `PE[t, 2i + 1] = cos(t / 10000^(2i / dModel))`.
 * Computed in float64 and rounded once to float32.
 *
 * @example
 * const pe = sinusoidalPositionalEncoding(128, 64); // [128, 64]
 * const withPositions = tf.add(x, pe); // x: [batch, 128, 64]
 */
export function sinusoidalPositionalEncoding(time: number, dModel: number): tf.Tensor2D {
  if (!Number.isInteger(time) || time < 1) throw new InputError(`sinusoidalPositionalEncoding: time must be a positive integer, got ${time}`);
  if (!Number.isInteger(dModel) || dModel < 1) throw new InputError(`sinusoidalPositionalEncoding: dModel must be a positive integer, got ${dModel}`);
  const values = new Float32Array(time * dModel);
  for (let t = 0; t < time; t++) {
    for (let c = 0; c < dModel; c++) {
      const pair = c - (c % 2); // 2i for both members of a sin/cos pair
      const angle = t / Math.pow(10000, pair / dModel);
      values[t * dModel + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [time, dModel]);
}
