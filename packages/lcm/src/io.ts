import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { PAPER_ARCHITECTURE, resolveArchitecture, type LcmArchitecture } from "./config.js";
import { LcmModel } from "./model.js";
import { nodeBuiltin } from "./node-builtins.js";

/** The `format` field of an LCM model.json. */
export const MODEL_FORMAT = "causeway.lcm/v1";
/** File name of the weights beside model.json. */
export const WEIGHTS_FILE = "weights.bin";

/** model.json: TensorFlow.js's weights manifest plus the architecture and free-form metadata. */
export interface LcmModelJson {
  format: typeof MODEL_FORMAT;
  generatedBy: string;
  /** Architecture needed to rebuild the graph (TensorFlow.js's `modelTopology` slot). */
  modelTopology: { class: "LcmModel"; config: LcmArchitecture };
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  /** Training metadata (config, steps, validation AUROC...). */
  userDefinedMetadata?: Record<string, unknown>;
}

/** A model in memory as its two artefacts. */
export interface SerializedModel {
  modelJson: LcmModelJson;
  weights: ArrayBuffer;
}

/** Encodes the model's weights (float32, fixed order) and architecture. */
export async function serializeModel(model: LcmModel, metadata: Record<string, unknown> = {}): Promise<SerializedModel> {
  const named = model.namedWeights().map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return {
    modelJson: {
      format: MODEL_FORMAT,
      generatedBy: "@causeway/lcm",
      modelTopology: { class: "LcmModel", config: model.arch },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
      userDefinedMetadata: metadata,
    },
    weights: data,
  };
}

/** Rebuilds a model from model.json and its weights buffer (exact float32 round trip). */
export function deserializeModel(modelJson: LcmModelJson, weights: ArrayBuffer): LcmModel {
  if (modelJson?.format !== MODEL_FORMAT) throw new InputError(`lcm: not an LCM model.json (format ${String(modelJson?.format)}, expected ${MODEL_FORMAT})`);
  // Files written before the additions existed lack their fields: they are the paper's architecture.
  const arch = resolveArchitecture({ ...PAPER_ARCHITECTURE, ...modelJson.modelTopology.config });
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const decoded = tf.io.decodeWeights(weights, specs);
  const model = new LcmModel(arch);
  try {
    for (const [name, variable] of model.namedWeights()) {
      const t = decoded[name];
      if (!t) throw new InputError(`lcm: weights file lacks "${name}"`);
      if (t.shape.join(",") !== variable.shape.join(",")) throw new InputError(`lcm: weight "${name}" has shape [${t.shape}], the architecture expects [${variable.shape}]`);
      variable.assign(t);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(decoded));
  }
  return model;
}

/** Writes `model.json` and `weights.bin` into `dir` (Node). */
export async function saveModel(model: LcmModel, dir: string, metadata: Record<string, unknown> = {}): Promise<void> {
  const fs = nodeBuiltin("node:fs/promises");
  const { join } = nodeBuiltin("node:path");
  const { modelJson, weights } = await serializeModel(model, metadata);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  await fs.writeFile(join(dir, "model.json"), JSON.stringify(modelJson, null, 1) + "\n");
}

/**
 * Loads a model from a model.json location: a file path or `file:` URL (Node, weights read
 * beside it), an `http(s):` URL (fetched, in the browser or Node), or the two artefacts in memory.
 */
export async function loadModel(source: string | URL | SerializedModel): Promise<LcmModel> {
  if (typeof source === "object" && !(source instanceof URL)) return deserializeModel(source.modelJson, source.weights);
  const url = source instanceof URL ? source : /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? new URL(source) : null;
  if (url && url.protocol !== "file:") {
    const json = (await (await fetchOk(url)).json()) as LcmModelJson;
    const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map(async (p) => (await fetchOk(new URL(p, url))).arrayBuffer()));
    return deserializeModel(json, concat(buffers));
  }
  const fs = nodeBuiltin("node:fs/promises");
  const { fileURLToPath } = nodeBuiltin("node:url");
  const { dirname, join } = nodeBuiltin("node:path");
  const path = url ? fileURLToPath(url) : source as string;
  const jsonPath = /\.json$/i.test(path) ? path : join(path, "model.json");
  const json = JSON.parse(await fs.readFile(jsonPath, "utf8")) as LcmModelJson;
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map(async (p) => {
    const b = await fs.readFile(join(dirname(jsonPath), p));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }));
  return deserializeModel(json, concat(buffers));
}

/** `fetch` that turns an HTTP error into an InputError naming the URL. */
async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new InputError(`lcm: cannot load ${url.href}: HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  if (buffers.length === 1) return buffers[0];
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}

/** Name of the default model of the `lcm` method, shipped in this package (under `models/`): LCM v2. */
export const DEFAULT_MODEL_NAME = "lcm-v2";
/** Name of the shipped v1 transformer (still loadable by name). */
export const V1_MODEL_NAME = "lcm-v12-l3";
/** Every model shipped in this package, the default first. */
export const SHIPPED_MODELS: readonly string[] = [DEFAULT_MODEL_NAME, V1_MODEL_NAME];

/** URL of a shipped model's model.json, relative to this module (works from src/ and dist/). */
export function shippedModelUrl(name: string): URL {
  if (!SHIPPED_MODELS.includes(name)) throw new InputError(`lcm: no shipped model "${name}"; shipped: ${SHIPPED_MODELS.join(", ")}`);
  return new URL(`../models/${name}/model.json`, import.meta.url);
}

/** URL of the shipped v1 transformer's model.json (`lcm-v12-l3`, what `loadDefaultModel` loads). */
export function defaultModelUrl(): URL {
  return shippedModelUrl(V1_MODEL_NAME);
}

const loaded = new Map<string, Promise<LcmModel>>();

/**
 * A model by path or URL, loaded once per process and backend (keep it; do not dispose it); a
 * failed load is forgotten, so the next call tries again. One copy per backend: weights created on
 * one backend and read after a switch to another are not reliable (seen: a model loaded on webgpu
 * scored every edge 0.5 once the browser switched to wasm).
 */
export function loadModelOnce(source: string | URL): Promise<LcmModel> {
  const key = `${tf.getBackend()}\u0000${String(source)}`;
  let p = loaded.get(key);
  if (!p) {
    p = loadModel(source);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/** The shipped v1 transformer (`lcm-v12-l3`), loaded once per process and backend (see `loadModelOnce`; keep it, do not dispose it). The `lcm` method's default is v2: `loadDefaultV2Model`. */
export function loadDefaultModel(): Promise<LcmModel> {
  return loadModelOnce(defaultModelUrl());
}
