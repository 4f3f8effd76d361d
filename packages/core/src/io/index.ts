// Time-series, ground-truth and graph parsers/serialisers (formats.md). Reading and writing files
// (readSeries, writeGraph, ...) is in `@causeway/core/node` (../node.ts).
export { type SeriesReadOptions, parseSeriesCsv, parseSeriesJson } from "./series.js";
export { type SeriesCheckOptions, TIME_COLUMN_NAMES, validateSeries } from "./series-check.js";
export { seriesToCsv, seriesToJson } from "./series-write.js";
export { type NamedSeries, combineSeries } from "./segments.js";
export {
  type TcdfOrder,
  type TruthJsonOptions,
  type TcdfTruthOptions,
  type CdmlTargetOptions,
  type ReadTruthOptions,
  validateTruth,
  parseTruthJson,
  parseTcdfTruth,
  parseCdmlTarget,
  truthToJson,
} from "./truth.js";
export { GRAPH_FORMAT, parseGraphJson, graphToJson } from "./graph-json.js";
