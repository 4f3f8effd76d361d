// Missing cells for the masking tests (issue #18 item 3: `--missing mask`).
import { Rng, type TimeSeries } from "@causeway/core";

/** The series with each cell missing with probability `fraction` (NaN in data, 1 in mask), seeded. */
export function maskAtRandom(series: TimeSeries, fraction: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = Float64Array.from(series.data); // [T, V]
  const mask = new Uint8Array(data.length); // [T, V]
  for (let i = 0; i < data.length; i++)
    if (rng.uniform() < fraction) {
      mask[i] = 1;
      data[i] = NaN;
    }
  return { ...series, data, mask };
}
