// Loading LCM models of either version: a v2 model.json holds its weights inline; a v1 one is
// TensorFlow.js's manifest beside weights.bin. The format field says which.
import { InputError } from "@causeway/core";
import { DEFAULT_MODEL_NAME, SHIPPED_MODELS, loadModelOnce, shippedModelUrl } from "../io.js";
import type { LcmModel } from "../model.js";
import { nodeBuiltin } from "../node-builtins.js";
import { LcmV2Model, MODEL_V2_FORMAT, type LcmV2Json } from "./model.js";

/** Reads a model.json (path, `file:` or `http(s):` URL) as JSON. */
async function readJson(source: string | URL): Promise<{ json: unknown; where: string | URL }> {
  const url = source instanceof URL ? source : /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? new URL(source) : null;
  if (url && url.protocol !== "file:") {
    const res = await fetch(url);
    if (!res.ok) throw new InputError(`lcm: cannot load ${url.href}: HTTP ${res.status} ${res.statusText}`.trim());
    return { json: await res.json(), where: url };
  }
  const fs = nodeBuiltin("node:fs/promises");
  const { fileURLToPath } = nodeBuiltin("node:url");
  const { join } = nodeBuiltin("node:path");
  const path = url ? fileURLToPath(url) : (source as string);
  const jsonPath = /\.json$/i.test(path) ? path : join(path, "model.json");
  return { json: JSON.parse(await fs.readFile(jsonPath, "utf8")), where: jsonPath };
}

/** A v2 model from its model.json (path or URL). */
export async function loadV2Model(source: string | URL): Promise<LcmV2Model> {
  const { json } = await readJson(source);
  return LcmV2Model.fromJson(json as LcmV2Json);
}

/** Either version, by what its model.json's `format` says. */
export type AnyLcmModel = LcmModel | LcmV2Model;

const loaded = new Map<string, Promise<LcmV2Model>>();

/**
 * A model by shipped name (`lcm-v2`, `lcm-v12-l3`), path or URL, loaded once per process: a v2
 * model (plain JS, no backend) or a v1 transformer (through `loadModelOnce`, one copy per backend).
 * "" is the default, `lcm-v2`.
 */
export async function loadAnyModelOnce(source: string): Promise<AnyLcmModel> {
  const location = source === "" ? shippedModelUrl(DEFAULT_MODEL_NAME) : SHIPPED_MODELS.includes(source) ? shippedModelUrl(source) : source;
  const key = String(location);
  const hit = loaded.get(key);
  if (hit) return hit;
  const { json } = await readJson(location);
  if ((json as { format?: string })?.format !== MODEL_V2_FORMAT) return loadModelOnce(location);
  const p = Promise.resolve(LcmV2Model.fromJson(json as LcmV2Json));
  loaded.set(key, p);
  return p;
}

/** The `lcm` method's default model, shipped LCM v2, loaded once per process. */
export function loadDefaultV2Model(): Promise<LcmV2Model> {
  return loadAnyModelOnce("") as Promise<LcmV2Model>;
}
