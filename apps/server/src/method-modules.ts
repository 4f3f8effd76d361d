// Extra method modules (CAUSEWAY_METHOD_MODULES): loaded by the server and by every worker, so a
// deployment (or a test) can add methods without changing @causeway/methods.
import { pathToFileURL } from "node:url";
import { InputError, registerMethod, type Discoverer } from "@causeway/core";

function isDiscoverer(x: unknown): x is Discoverer {
  const d = x as Discoverer;
  return typeof d === "object" && d !== null && typeof d.name === "string" && typeof d.discover === "function" && Array.isArray(d.params);
}

/**
 * Import each module (absolute paths, set by the operator, never by a request) and register the
 * methods it exports: `export const methods = [...]` or a default export (one method or a list).
 * Returns the names registered.
 */
export async function loadMethodModules(paths: readonly string[]): Promise<string[]> {
  const names: string[] = [];
  for (const path of paths) {
    const mod = (await import(pathToFileURL(path).href)) as { methods?: unknown; default?: unknown };
    const found = [mod.methods ?? mod.default ?? []].flat();
    if (found.length === 0 || !found.every(isDiscoverer))
      throw new InputError(`method module ${path} must export \`methods\` (a list of Discoverer objects) or a default Discoverer`);
    for (const m of found as Discoverer[]) {
      registerMethod(m);
      names.push(m.name);
    }
  }
  return names;
}
