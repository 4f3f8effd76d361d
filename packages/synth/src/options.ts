import { InputError, type GroundTruth, type LaggedEdge, type TimeSeries } from "@causeway/core";

/** What every generator returns: the series and the structure that produced it. */
export interface Generated {
  series: TimeSeries;
  truth: GroundTruth;
}

/** Variable names `x0 .. x{V-1}` (formats.md's default names). */
export function variableNames(vars: number): string[] {
  return Array.from({ length: vars }, (_, i) => `x${i}`);
}

/** Throws an InputError naming the generator and option unless `value` is an integer in [min, max]. */
export function checkInt(where: string, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new InputError(`${where}: option "${name}" must be an integer ${range}, got ${String(value)}`, { column: name });
  }
  return value;
}

/** Throws an InputError unless `value` is a finite number in [min, max] (`open` excludes min). */
export function checkNumber(
  where: string,
  name: string,
  value: number,
  min = -Infinity,
  max = Infinity,
  open = false,
): number {
  const below = open ? value <= min : value < min;
  if (typeof value !== "number" || !Number.isFinite(value) || below || value > max) {
    const lo = Number.isFinite(min) ? `${open ? ">" : ">="} ${min}` : "";
    const hi = Number.isFinite(max) ? `<= ${max}` : "";
    const range = [lo, hi].filter(Boolean).join(" and ") || "finite";
    throw new InputError(`${where}: option "${name}" must be a finite number ${range}, got ${String(value)}`, {
      column: name,
    });
  }
  return value;
}

/** Seeds are unsigned 32-bit integers (what `Rng` consumes). */
export function checkSeed(where: string, seed: number): number {
  return checkInt(where, "seed", seed, 0, 0xffffffff);
}

/**
 * The shortest series any reader accepts is `maxLag + 2` rows (formats.md), so every generator
 * asks for at least that many, with the lag it declares in its truth.
 */
export function checkLength(where: string, length: number, maxLag: number): number {
  return checkInt(where, "length", length, maxLag + 2);
}

/** Throws if any value is NaN or infinite (generators promise finite output). */
export function assertFinite(where: string, data: Float64Array): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new Error(`${where}: the simulation produced a non-finite value at index ${k}; this is a bug`);
    }
  }
}

/** Builds a TimeSeries from row-major `[T, V]` values. */
export function makeSeries(vars: number, length: number, data: Float64Array): TimeSeries {
  return { variables: variableNames(vars), length, data };
}

/** Ground truth with edges sorted by effect, cause, lag (a stable order for diffs and tests). */
export function makeTruth(vars: number, maxLag: number, edges: LaggedEdge[], summaryOnly: boolean): GroundTruth {
  const index = (name: string): number => Number(name.slice(1));
  const sorted = [...edges].sort(
    (a, b) => index(a.effect) - index(b.effect) || index(a.cause) - index(b.cause) || a.lag - b.lag,
  );
  return { variables: variableNames(vars), maxLag, edges: sorted, summaryOnly };
}
