import { InputError } from "@causeway/core";

/** Architecture of one LCM (Kougioulis et al. 2026, Appendix): everything needed to rebuild it. */
export interface LcmArchitecture {
  /** Largest number of variables one forward pass takes (inputs are padded to it). */
  vMax: number;
  /** Largest lag scored: outputs are `[vMax, vMax, maxLag]`. */
  maxLag: number;
  /** Time steps one forward pass takes (shorter series are padded, longer ones windowed). */
  lMax: number;
  /** Model width. */
  dModel: number;
  /** Attention heads (must divide dModel). */
  heads: number;
  /** Encoder blocks. */
  layers: number;
  /** Hidden width of the encoder's convolutional feed-forward. */
  dFf: number;
  /** Kernel width of the Conv1D token embedding. */
  embedKernel: number;
  /** Distillation (Conv1D -> BatchNorm -> ELU -> MaxPool, halving the length) between blocks. */
  distil: boolean;
  /** Concatenate the lagged cross-correlations to the summary (correlation injection). */
  corrInjection: boolean;
  /** Hidden width of the SwiGLU head. */
  headHidden: number;
  /**
   * Beyond the paper: also inject the lagged partial correlations of a VAR(maxLag) fit (each
   * cause-lag given every other lagged regressor), beside the plain cross-correlations.
   */
  partialCorrInjection: boolean;
  /**
   * Beyond the paper: a shared per-edge MLP on each entry's own statistics (see `edgeFeatures`),
   * added to the head's logit. Permutation-equivariant, so it transfers across variable slots.
   * 0 turns it off (the paper's head alone).
   */
  edgeHidden: number;
}

/** The architecture defaults (the shipped model's, see models/lcm-v12-l3/MODEL_CARD.md). */
export const DEFAULT_ARCHITECTURE: LcmArchitecture = {
  vMax: 12,
  maxLag: 3,
  lMax: 128,
  dModel: 64,
  heads: 4,
  layers: 2,
  dFf: 128,
  embedKernel: 3,
  distil: true,
  corrInjection: true,
  headHidden: 256,
  partialCorrInjection: true,
  edgeHidden: 32,
};

/** The paper's architecture family without this package's additions (for ablations). */
export const PAPER_ARCHITECTURE: Partial<LcmArchitecture> = { partialCorrInjection: false, edgeHidden: 0 };

function positiveInt(name: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 1) throw new InputError(`lcm: architecture "${name}" must be a positive integer, got ${String(x)}`);
  return x;
}

/** Fills defaults and validates; throws an InputError naming the bad field. */
export function resolveArchitecture(given: Partial<LcmArchitecture> = {}): LcmArchitecture {
  const a = { ...DEFAULT_ARCHITECTURE, ...given };
  for (const k of ["vMax", "maxLag", "lMax", "dModel", "heads", "layers", "dFf", "embedKernel", "headHidden"] as const) positiveInt(k, a[k]);
  if (!Number.isInteger(a.edgeHidden) || a.edgeHidden < 0) throw new InputError(`lcm: architecture "edgeHidden" must be a non-negative integer, got ${String(a.edgeHidden)}`);
  for (const k of ["distil", "corrInjection", "partialCorrInjection"] as const)
    if (typeof a[k] !== "boolean") throw new InputError(`lcm: architecture "${k}" must be true or false, got ${String(a[k])}`);
  if (a.vMax < 2) throw new InputError(`lcm: vMax must be >= 2, got ${a.vMax}`);
  if (a.dModel % a.heads !== 0) throw new InputError(`lcm: heads (${a.heads}) must divide dModel (${a.dModel})`);
  if (a.lMax < a.maxLag + 2) throw new InputError(`lcm: lMax (${a.lMax}) must be >= maxLag + 2`);
  if (a.distil && a.lMax >> (a.layers - 1) < 2) throw new InputError(`lcm: lMax (${a.lMax}) is too short for ${a.layers} distilled blocks`);
  return a;
}
