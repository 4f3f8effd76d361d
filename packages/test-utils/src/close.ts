/**
 * Compare numbers computed by two different JavaScript engines (Node and Chromium, a server and a
 * browser): the same IEEE arithmetic, but `Math.exp`/`log`/`pow` may differ in the last bit, so
 * exact equality is wrong. Non-numbers (names, lags as integers, strings) are still compared exactly.
 */
import { expect } from "vitest";

/** Relative tolerance for values computed by different engines from the same inputs. */
export const CROSS_ENGINE_RTOL = 1e-9;

/** The first place where `got` and `want` differ beyond `rtol` (relative to the larger magnitude), or null. */
export function firstMismatch(got: unknown, want: unknown, rtol = CROSS_ENGINE_RTOL, path = "$"): string | null {
  if (typeof got === "number" && typeof want === "number") {
    if (Object.is(got, want)) return null;
    if (!Number.isFinite(got) || !Number.isFinite(want)) return `${path}: ${got} vs ${want}`;
    const scale = Math.max(Math.abs(got), Math.abs(want));
    return Math.abs(got - want) <= rtol * scale ? null : `${path}: ${got} vs ${want} (relative difference ${(Math.abs(got - want) / scale).toExponential(2)} > ${rtol})`;
  }
  if (Array.isArray(got) || Array.isArray(want) || ArrayBuffer.isView(got) || ArrayBuffer.isView(want)) {
    const g = got as ArrayLike<unknown>;
    const w = want as ArrayLike<unknown>;
    if (g == null || w == null || typeof g.length !== "number" || typeof w.length !== "number") return `${path}: ${String(got)} vs ${String(want)}`;
    if (g.length !== w.length) return `${path}: length ${g.length} vs ${w.length}`;
    for (let i = 0; i < g.length; i++) {
      const m = firstMismatch(g[i], w[i], rtol, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (got !== null && want !== null && typeof got === "object" && typeof want === "object") {
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    for (const k of keys) {
      const m = firstMismatch((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], rtol, `${path}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return Object.is(got, want) ? null : `${path}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
}

/** Assert `got` equals `want` structurally, numbers within relative `rtol`; the message names the first mismatch. */
export function expectClose(got: unknown, want: unknown, rtol = CROSS_ENGINE_RTOL): void {
  const m = firstMismatch(got, want, rtol);
  expect(m, m ?? "").toBeNull();
}
