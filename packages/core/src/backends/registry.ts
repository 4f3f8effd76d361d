import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "../errors.js";
import { cpuProvider } from "./cpu.js";
import { cudaProvider } from "./cuda.js";
import { wasmProvider } from "./wasm.js";
import { webgpuProvider } from "./webgpu.js";

export type BackendName = "cpu" | "wasm" | "webgpu" | "cuda";
export type BackendChoice = BackendName | "auto";

/** Every backend name, in the order `auto` prefers them when they are fast. */
export const BACKEND_NAMES: readonly BackendName[] = ["cuda", "webgpu", "wasm", "cpu"];

/** Result of checking whether a backend can run here. */
export interface BackendProbe {
  available: boolean;
  /** Why it is not available (exact error), when it is not. */
  reason?: string;
  /** How to make it available. */
  fix?: string;
  /** Details such as the GPU adapter or SIMD support. */
  detail?: string;
  /**
   * False when it runs but is known to be slower than `wasm` here (a software GPU adapter):
   * `auto` then skips it.
   */
  fast?: boolean;
}

/** One backend: how to check it and how to register it with the TensorFlow.js engine. */
export interface BackendProvider {
  name: BackendName;
  description: string;
  /** Name the backend registers under in TensorFlow.js, when it differs from `name`. */
  tfName?: string;
  /** Check availability without changing the active backend. Cached by the registry. */
  probe(): Promise<BackendProbe>;
  /**
   * False when probing would load a heavy native stack that was not asked for (Dawn and its
   * Vulkan/GL drivers in Node): `auto` then skips the backend unless it was already probed.
   */
  autoProbe?(): boolean;
  /** Register the tfjs backend (idempotent). Called only after a successful probe. */
  register(): Promise<void>;
  /** Release native resources (GPU device, driver instance); `register` must work again afterwards. */
  shutdown?(): Promise<void>;
}

const providers: Record<BackendName, BackendProvider> = {
  cpu: cpuProvider,
  wasm: wasmProvider,
  webgpu: webgpuProvider,
  cuda: cudaProvider,
};

const probes = new Map<BackendName, Promise<BackendProbe>>();
let active: BackendName | null = null;
let gradientsLoaded: Promise<void> | null = null;

/** Raised when a backend cannot be used here; the message says why and how to fix it. */
export class BackendUnavailableError extends InputError {
  override name = "BackendUnavailableError";
}

function checkName(name: string): BackendName | "auto" {
  if (name === "auto" || (BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendChoice;
  throw new InputError(`unknown backend "${name}"; valid backends: auto, ${[...BACKEND_NAMES].reverse().join(", ")}`);
}

/** Probe one backend (cached for the process). */
export function probeBackend(name: BackendName): Promise<BackendProbe> {
  let p = probes.get(name);
  if (!p) {
    p = providers[name].probe().catch((e: unknown): BackendProbe => {
      const reason = e instanceof Error ? e.message : String(e);
      const missing = missingPackage(reason);
      return missing ? { available: false, reason, fix: `install ${missing} (an optional peer dependency of @causeway/core)` } : { available: false, reason };
    });
    probes.set(name, p);
  }
  return p;
}

export interface BackendStatus extends BackendProbe {
  name: BackendName;
  description: string;
}

/** Every backend with "available" or the exact reason it is not (for `causeway backends`). */
export async function listBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of [...BACKEND_NAMES].reverse()) {
    out.push({ name, description: providers[name].description, ...(await probeBackend(name)) });
  }
  return out;
}

/**
 * Resolve `auto` to the fastest available backend here. In Node on Linux, `auto` considers webgpu
 * only where a GPU device node exists (`/dev/nvidia0`, `/dev/dri/renderD*`) or it was probed
 * already: elsewhere probing would load Dawn just to find a software adapter, printing driver
 * warnings. Ask for `webgpu` by name to use it anyway. In a browser with `navigator.gpu` it does.
 */
export async function resolveBackend(choice: string = "auto"): Promise<BackendName> {
  const name = checkName(choice);
  if (name !== "auto") {
    const probe = await probeBackend(name);
    if (!probe.available)
      throw new BackendUnavailableError(`backend "${name}" is not available: ${probe.reason ?? "unknown reason"}${probe.fix ? `. Fix: ${probe.fix}` : ""}`);
    return name;
  }
  for (const candidate of BACKEND_NAMES) {
    // the WebGPU stack (Dawn) loads only when webgpu is asked for by name (or was probed already)
    if (providers[candidate].autoProbe?.() === false && !probes.has(candidate)) continue;
    const probe = await probeBackend(candidate);
    if (probe.available && probe.fast !== false) return candidate;
  }
  return "cpu";
}

/**
 * The npm package a "Cannot find package/module 'x'" error names, when it is one of core's optional
 * peer dependencies (a tfjs backend, the tfjs umbrella, Dawn). Internal; exported for tests.
 */
export function missingPackage(message: string): string | undefined {
  const m = /Cannot find (?:package|module) '((?:@tensorflow\/tfjs[\w-]*)|webgpu)/.exec(message);
  return m?.[1];
}

/**
 * Load TensorFlow.js's gradient definitions once (tfjs-core's Node build registers none; its
 * ESM `register_all_gradients` cannot be imported from Node). They come from the
 * `@tensorflow/tfjs` umbrella, an optional peer dependency: packages that train (`tf.grad`,
 * optimizers) depend on it. Without it, forward computation works and training reports
 * "gradient function not found"; install `@tensorflow/tfjs` then.
 */
export function ensureGradients(): Promise<void> {
  gradientsLoaded ??= import("@tensorflow/tfjs").then(
    () => undefined,
    (e: unknown) => {
      if (!missingPackage(e instanceof Error ? e.message : String(e))) throw e;
    },
  );
  return gradientsLoaded;
}

/**
 * Make `choice` the active TensorFlow.js backend (with gradients) and return its name.
 * There is one tfjs engine per process: all packages share it through the tfjs-core peer dependency.
 */
export async function useBackend(choice: string = "auto"): Promise<BackendName> {
  const name = await resolveBackend(choice);
  await ensureGradients();
  const tfName = providers[name].tfName ?? name;
  if (active === name && tf.getBackend() === tfName) return name;
  try {
    await providers[name].register();
  } catch (e) {
    const missing = missingPackage(e instanceof Error ? e.message : String(e));
    if (missing) throw new BackendUnavailableError(`backend "${name}" needs ${missing}, which is not installed; install it (an optional peer dependency of @causeway/core)`);
    throw e;
  }
  const ok = await tf.setBackend(tfName);
  // tf.getBackend() still reports the name after a failed init, with no backend behind it:
  // trust the return value and switch back to the previous backend.
  if (!ok) {
    const previous = active ?? "cpu";
    await providers[previous].register();
    await tf.setBackend(providers[previous].tfName ?? previous);
    throw new BackendUnavailableError(`backend "${name}" failed to initialise in TensorFlow.js (see the warning above)`);
  }
  await tf.ready();
  active = name;
  return name;
}

/**
 * The backend tensor code runs on now, switching nothing: the one `useBackend` made active or,
 * before any choice, TensorFlow.js's own default (cpu in Node), set up through its provider so
 * that its kernels and gradients are in place. A backend the registry does not know (webgl in a
 * browser) is returned by its tfjs name. Methods use it when the caller passes no backend.
 */
export async function currentBackend(): Promise<string> {
  await ensureGradients();
  await tf.ready();
  const tfName = tf.getBackend();
  if (active !== null && (providers[active].tfName ?? active) === tfName) return active;
  const name = BACKEND_NAMES.find((n) => (providers[n].tfName ?? n) === tfName);
  return name ? useBackend(name) : tfName;
}

/** The backend chosen by the last `useBackend` call, or null before any. */
export function activeBackend(): BackendName | null {
  return active;
}

/**
 * Release native backend resources (the WebGPU device and Dawn instance) so that a Node process
 * can exit promptly. Tensors on those backends become invalid; a later `useBackend` starts afresh.
 */
export async function shutdownBackends(): Promise<void> {
  for (const name of BACKEND_NAMES) await providers[name].shutdown?.();
  if (active && tf.getBackend() !== (providers[active].tfName ?? active)) active = null;
}
