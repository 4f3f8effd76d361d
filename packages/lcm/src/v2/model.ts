// LCM v2: a per-entry edge model over the injected statistics of `featureTable`. One small MLP
// reads each (effect, cause, lag) row and gives its logit; the same weights serve every entry, so
// any V and any maxLag are scored, and permuting the variables permutes the scores.
import { InputError, createScores, type ScoreTensor, type TimeSeries } from "@causeway/core";
import { featureNames, featureTable, type FeatureSet, type FeatureTable } from "./features.js";
import { forward, parameterCount } from "./mlp.js";

/** The `format` field of an LCM v2 model.json. */
export const MODEL_V2_FORMAT = "causeway.lcm-v2/v1";

/** What a v2 model was trained on: beyond it the method warns. */
export interface TrainedRange {
  maxLag: number;
  maxVars: number;
  minLength: number;
}

/** model.json of a v2 model: everything inline (a few thousand weights). */
export interface LcmV2Json {
  format: typeof MODEL_V2_FORMAT;
  generatedBy: string;
  featureSet: FeatureSet;
  names: string[];
  /** Layer sizes `[features, h1, ..., 1]`. */
  sizes: number[];
  /** Per-feature standardisation applied before the MLP. */
  mean: number[];
  std: number[];
  params: number[];
  trained: TrainedRange;
  userDefinedMetadata?: Record<string, unknown>;
}

export class LcmV2Model {
  readonly kind = "v2" as const;
  constructor(
    readonly featureSet: FeatureSet,
    readonly sizes: number[],
    readonly mean: Float64Array,
    readonly std: Float64Array,
    readonly params: Float64Array,
    readonly trained: TrainedRange,
    readonly metadata: Record<string, unknown> = {},
  ) {
    const names = featureNames(featureSet);
    if (sizes[0] !== names.length) throw new InputError(`lcm v2: the model reads ${sizes[0]} features, the "${featureSet}" set has ${names.length}`);
    if (sizes[sizes.length - 1] !== 1) throw new InputError("lcm v2: the last layer must have one unit (the logit)");
    if (params.length !== parameterCount(sizes)) throw new InputError(`lcm v2: ${params.length} parameters, the layer sizes [${sizes}] need ${parameterCount(sizes)}`);
  }

  /** Logits `[rows]` of a feature table (standardised with the model's mean and std). */
  logits(table: FeatureTable): Float64Array {
    const F = this.sizes[0];
    if (table.names.length !== F) throw new InputError(`lcm v2: feature table has ${table.names.length} columns, the model reads ${F}`);
    const N = table.data.length / F;
    const x = standardize(table.data, this.mean, this.std);
    return forward(this.sizes, this.params, x, N);
  }

  toJson(metadata: Record<string, unknown> = this.metadata): LcmV2Json {
    return {
      format: MODEL_V2_FORMAT,
      generatedBy: "@causeway/lcm",
      featureSet: this.featureSet,
      names: featureNames(this.featureSet),
      sizes: this.sizes,
      mean: Array.from(this.mean),
      std: Array.from(this.std),
      params: Array.from(this.params, (v) => Math.fround(v)),
      trained: this.trained,
      userDefinedMetadata: metadata,
    };
  }

  static fromJson(json: LcmV2Json): LcmV2Model {
    if (json?.format !== MODEL_V2_FORMAT) throw new InputError(`lcm: not an LCM v2 model.json (format ${String(json?.format)}, expected ${MODEL_V2_FORMAT})`);
    const names = featureNames(json.featureSet);
    if (json.names.join(",") !== names.join(",")) throw new InputError(`lcm v2: the model's features [${json.names}] are not this version's "${json.featureSet}" set`);
    return new LcmV2Model(json.featureSet, json.sizes, Float64Array.from(json.mean), Float64Array.from(json.std), Float64Array.from(json.params), json.trained, json.userDefinedMetadata ?? {});
  }
}

/** `(x - mean) / std` per column of a row-major `[N, F]` table, as float64. */
export function standardize(data: ArrayLike<number>, mean: Float64Array, std: Float64Array): Float64Array {
  const F = mean.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const f = i % F;
    out[i] = (data[i] - mean[f]) / std[f];
  }
  return out;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Edge probabilities `scores[effect][cause][lag-1]` of a series at lags 1..maxLag from a v2 model:
 * the feature table, then one MLP pass over its rows.
 */
export function predictV2(model: LcmV2Model, series: TimeSeries, maxLag: number, options: { maxConds?: number } = {}): { scores: ScoreTensor; table: FeatureTable } {
  const V = series.variables.length;
  const table = featureTable(series.data, series.length, V, maxLag, model.featureSet, options);
  const z = model.logits(table);
  const scores = createScores(V, maxLag); // [V, V, maxLag], rows in the table's order
  for (let i = 0; i < z.length; i++) scores.data[i] = sigmoid(z[i]);
  return { scores, table };
}
