import type * as NodeFs from "node:fs/promises"; // types only: erased, so a browser bundle reaches no node: module
import type * as NodePath from "node:path";
import type * as NodeUrl from "node:url";
import { InputError } from "@causeway/core";

/** The Node built-ins the model files and the trainer use. */
interface NodeBuiltins {
  "node:fs/promises": typeof NodeFs;
  "node:path": typeof NodePath;
  "node:url": typeof NodeUrl;
}

/**
 * A Node built-in, reached through `process.getBuiltinModule` (Node >= 20.16) rather than an
 * `import`: the method that loads models runs in browsers too (where it fetches the model by URL
 * and never gets here), and a bundle of this package then needs no stub for `node:` modules.
 */
export function nodeBuiltin<K extends keyof NodeBuiltins>(id: K): NodeBuiltins[K] {
  const get = typeof process === "undefined" ? undefined : (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const module = get?.(id);
  if (!module) throw new InputError(`lcm: model files are read and written in Node.js >= 20.16 only (${id} is unavailable here); in a browser, load a model from an http(s) URL`);
  return module as NodeBuiltins[K];
}
