// A series as JSON-safe data for a queue message: values as base64 of little-endian float64 bytes;
// a stage payload or result likewise (encodeValue).
import type { TimeSeries } from "@causeway/core";

export interface EncodedSeries {
  variables: string[];
  length: number;
  /** base64 of the Float64Array [T, V] (row-major, little-endian). */
  data: string;
  time?: string[];
}

export function encodeSeries(s: TimeSeries): EncodedSeries {
  const data = Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength).toString("base64");
  return { variables: s.variables, length: s.length, data, ...(s.time ? { time: s.time } : {}) };
}

export function decodeSeries(e: EncodedSeries): TimeSeries {
  const bytes = Buffer.from(e.data, "base64");
  const data = new Float64Array(Uint8Array.prototype.slice.call(bytes).buffer); // [T, V], aligned copy
  if (data.length !== e.length * e.variables.length) throw new Error(`encoded series has ${data.length} values, expected ${e.length} x ${e.variables.length}`);
  return { variables: e.variables, length: e.length, data, ...(e.time ? { time: e.time } : {}) };
}

/**
 * Plain data (a stage's payload or result) as JSON text for a queue message: typed Float64Arrays
 * as base64 of their bytes and non-finite numbers by name, so every value comes back bit for bit.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Float64Array) return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
    if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
}

export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== "object" || v === null) return v;
    const o = v as { $f64?: string; $num?: string };
    if (typeof o.$f64 === "string") return new Float64Array(Uint8Array.prototype.slice.call(Buffer.from(o.$f64, "base64")).buffer);
    if (typeof o.$num === "string") return Number(o.$num);
    return v;
  });
}
