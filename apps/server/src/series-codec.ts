// A series as JSON-safe data for a queue message: values as base64 of little-endian float64 bytes.
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
