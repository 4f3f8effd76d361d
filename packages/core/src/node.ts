// `@causeway/core/node`: file I/O with node:fs. Everything else, including the parsers these
// functions use (parseSeriesCsv, parseTruthJson, parseGraphJson, ...), is in `@causeway/core`.
export { readGraph, readSeries, readSeriesFiles, readTruth, writeGraph, writeSeries, writeTruth } from "./io/files.js";
