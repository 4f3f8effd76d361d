// Early stopping for TCDF: the first 80% of each recording trains the networks, the loss on the
// last 20% (the validation rows) is measured every few epochs, and training keeps the best epoch.
import { segmentBounds, type TimeSeries } from "@causeway/core";
import { makeInputs, type NetInputs } from "./kernel.js";
import { paramLayout, type NetShape } from "./network.js";

/** Fraction of each recording's rows held out for validation. */
export const VALIDATION_FRACTION = 0.2;
/** Epochs between validation losses. */
export const VALIDATE_EVERY = 10;

/**
 * The target network that owns each parameter, `[paramLayout(shape).size]`: early stopping is per
 * target (each network keeps its own best epoch), so a fit of a subset of the targets (one worker
 * thread's share) stops and restores each target exactly as the full fit does.
 */
export function paramOwners(shape: NetShape): Int32Array {
  const { V, kernelSize: k, hiddenLayers: L } = shape;
  const C = V * V;
  const lay = paramLayout(shape);
  const owner = new Int32Array(lay.size);
  for (let i = 0; i < (L + 1) * C * k; i++) owner[lay.weight + i] = Math.floor((Math.floor(i / k) % C) / V);
  for (let i = 0; i < (L + 1) * C; i++) owner[lay.bias + i] = owner[lay.slope + i] = Math.floor((i % C) / V);
  for (let c = 0; c < C; c++) owner[lay.pointwise + c] = owner[lay.attention + c] = Math.floor(c / V);
  for (let j = 0; j < V; j++) owner[lay.outBias + j] = j;
  return owner;
}

/** Rows a recording of `n` rows holds out (none below 10 rows: too short to spare any). */
function heldRows(n: number, fraction: number): number {
  return n >= 10 ? Math.max(1, Math.round(n * fraction)) : 0;
}

/**
 * The training part of a series: the first 1 - `fraction` of each recording's rows (its mask
 * too), recordings kept apart. `cuts[s]`: the first held-out row of recording s (original rows).
 */
export function trainingPart(series: TimeSeries, fraction = VALIDATION_FRACTION): { train: TimeSeries; cuts: number[] } {
  const V = series.variables.length;
  const bounds = segmentBounds(series);
  const cuts: number[] = [];
  const rows: number[] = [];
  const starts: number[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const cut = bounds[s + 1] - heldRows(bounds[s + 1] - bounds[s], fraction);
    cuts.push(cut);
    starts.push(rows.length);
    for (let t = bounds[s]; t < cut; t++) rows.push(t);
  }
  const data = new Float64Array(rows.length * V);
  const mask = series.mask ? new Uint8Array(rows.length * V) : undefined;
  rows.forEach((t, r) => {
    data.set(series.data.subarray(t * V, (t + 1) * V), r * V);
    mask?.set(series.mask!.subarray(t * V, (t + 1) * V), r * V);
  });
  const train: TimeSeries = { variables: series.variables, length: rows.length, data, ...(starts.length > 1 ? { segments: starts } : {}), ...(mask ? { mask } : {}) };
  return { train, cuts };
}

/**
 * Network inputs over the whole series (`padded`: its `paddedRecordings`) whose loss counts only the held-out rows (t >= `cuts[s]`
 * in recording s) that also count in a full fit (receptive field inside the recording, no missing
 * cell): the validation loss. Null when nothing is held out.
 */
export function validationInputs(
  series: TimeSeries,
  cuts: number[],
  R: number,
  padded: { data: Float64Array; T: number; weight: Float64Array } | null,
  kernelSize: number,
  instantaneous: boolean,
  targets: number[],
): NetInputs | null {
  const V = series.variables.length;
  const bounds = segmentBounds(series);
  const T = padded ? padded.T : series.length;
  const weight = padded ? padded.weight.slice() : new Float64Array(T).fill(1);
  for (let s = 0; s + 1 < bounds.length; s++) {
    const offset = padded ? s * R : 0; // R zero rows precede every recording after the first
    for (let t = bounds[s]; t < cuts[s]; t++) weight[t + offset] = 0;
  }
  if (!weight.some((w) => w > 0)) return null;
  return makeInputs(padded ? padded.data : series.data, T, V, kernelSize, instantaneous, weight, targets);
}
