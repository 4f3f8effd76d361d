// Models by name: a job sent over HTTP never names a URL or a path. The server offers the model
// shipped with @causeway/lcm and the models in the operator's directory (CAUSEWAY_MODELS_DIR),
// and turns a name into a path only inside the worker thread that loads it.
import { stat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError, type Discoverer, type MethodInfo, type ParamSpec } from "@causeway/core";
import { DEFAULT_MODEL_NAME, SHIPPED_MODELS } from "@causeway/lcm";

/** Name of the model shipped with the `lcm` method as its default (LCM v2). */
export const SHIPPED_MODEL = DEFAULT_MODEL_NAME;
/** Every model shipped with @causeway/lcm (the default first, then the v1 transformer). */
export { SHIPPED_MODELS };

/** A method parameter that names a model file (lcm's `model`): the server takes names only. */
export function isModelParam(spec: ParamSpec): boolean {
  return spec.name === "model" && spec.type === "string";
}

/** Model names are plain folder names: letters, digits, `.`, `_`, `-`; never a path or URL. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a requested model name without touching the disk or the network: anything with `/`,
 * `\`, `..`, `:` (a URL scheme or drive letter) or other characters is an InputError.
 */
export function checkModelNameSyntax(name: string): void {
  if (name === "") return; // the shipped model
  if (/[/\\:]/.test(name) || name.includes("..") || !NAME.test(name))
    throw new InputError(
      `model ${JSON.stringify(name.slice(0, 200))} is not a model name: this server loads models by name only (no paths or URLs); GET /v1/methods lists them`,
    );
}

/** Names of the models in `dir`: each subfolder holding a model.json. Missing dir = none. */
export async function listModelDir(dir: string | undefined): Promise<string[]> {
  if (!dir) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !NAME.test(e.name) || e.name.includes("..")) continue;
    const json = await stat(join(dir, e.name, "model.json")).catch(() => null);
    if (json?.isFile()) names.push(e.name);
  }
  return names.sort();
}

/** Every model name this server offers: the shipped ones first (the default leading), then the directory's. */
export async function listModels(dir: string | undefined): Promise<string[]> {
  return [...SHIPPED_MODELS, ...(await listModelDir(dir)).filter((n) => !SHIPPED_MODELS.includes(n))];
}

/**
 * Checks the model parameters of a job (after `resolveParams`): the name's syntax first (no disk
 * touched), then that the server offers it. Returns the params with "" replaced by the shipped name.
 */
export async function checkModelParams(method: Discoverer, params: Record<string, number | string | boolean>, dir: string | undefined): Promise<Record<string, number | string | boolean>> {
  const out = { ...params };
  for (const spec of method.params) {
    if (!isModelParam(spec)) continue;
    const name = String(out[spec.name] ?? "");
    checkModelNameSyntax(name);
    if (name === "") {
      out[spec.name] = SHIPPED_MODEL;
      continue;
    }
    const offered = await listModels(dir);
    if (!offered.includes(name)) throw new InputError(`${method.name} parameter "${spec.name}": unknown model "${name}"; this server offers: ${offered.join(", ")}`);
  }
  return out;
}

/** The server's description of a method: a model parameter lists the model names as its choices. */
export function describeForServer(info: MethodInfo, models: string[]): MethodInfo {
  return {
    ...info,
    params: info.params.map((p) =>
      isModelParam(p)
        ? { ...p, default: SHIPPED_MODEL, choices: models, description: `a model this server offers, by name (default: the shipped ${SHIPPED_MODEL}; also shipped: ${SHIPPED_MODELS.filter((n) => n !== SHIPPED_MODEL).join(", ")}; more from the operator's CAUSEWAY_MODELS_DIR)` }
        : p,
    ),
  };
}

/**
 * Inside a worker thread: the model name of a job becomes what the method loads (a path under
 * `dir`, or "" for the shipped model). Checked again here, so a stored job from an older server
 * can never make a worker open a path or URL. Returns the params to run with.
 */
export async function resolveModelParams(method: Discoverer, params: Record<string, unknown> | undefined, dir: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!params) return params;
  const out = { ...params };
  for (const spec of method.params) {
    if (!isModelParam(spec) || out[spec.name] === undefined) continue;
    const name = String(out[spec.name]);
    checkModelNameSyntax(name);
    if (name === "" || name === SHIPPED_MODEL) {
      out[spec.name] = "";
      continue;
    }
    if (SHIPPED_MODELS.includes(name)) continue; // the method loads its other shipped models by name
    if (!(await listModelDir(dir)).includes(name)) throw new InputError(`unknown model "${name}": it is not in this worker's CAUSEWAY_MODELS_DIR (${dir ?? "not set"})`);
    out[spec.name] = join(dir!, name, "model.json");
  }
  return out;
}
