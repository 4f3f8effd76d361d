import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";

/**
 * Value added to masked scores. Large and finite rather than -Infinity, so a row whose every key
 * is masked gives a uniform softmax instead of NaN; exp(MASK_VALUE - max) is exactly 0 in float32.
 */
export const MASK_VALUE = -1e9;

/**
 * Additive causal mask `[time, time]`: 0 where key `j <= i` (the query's past and present),
 * `MASK_VALUE` above the diagonal (the future). Add it to attention scores before the softmax.
 *
 * @example
 * const mask = causalMask(3);
 * // [[0, -1e9, -1e9],
 * //  [0,    0, -1e9],
 * //  [0,    0,    0]]
 */
export function causalMask(time: number): tf.Tensor2D {
  if (!Number.isInteger(time) || time < 1) throw new InputError(`causalMask: time must be a positive integer, got ${time}`);
  const values = new Float32Array(time * time);
  for (let i = 0; i < time; i++) for (let j = i + 1; j < time; j++) values[i * time + j] = MASK_VALUE;
  return tf.tensor2d(values, [time, time]);
}
