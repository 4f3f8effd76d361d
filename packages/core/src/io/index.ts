// Time-series, ground-truth and graph readers/writers (formats.md).
export { type SeriesReadOptions, parseSeriesCsv, parseSeriesJson, readSeries } from "./series.js";
export { type SeriesCheckOptions, TIME_COLUMN_NAMES, validateSeries } from "./series-check.js";
export { seriesToCsv, seriesToJson, writeSeries } from "./series-write.js";
export { type NamedSeries, combineSeries, readSeriesFiles } from "./segments.js";
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
  readTruth,
  truthToJson,
  writeTruth,
} from "./truth.js";
export { GRAPH_FORMAT, parseGraphJson, readGraph, graphToJson, writeGraph } from "./graph-json.js";
