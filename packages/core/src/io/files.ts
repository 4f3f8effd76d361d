// Node file I/O for series, ground truth and graphs: the `@causeway/core/node` entry. The root
// entry keeps the browser-safe parsers and serialisers these wrap, so a browser bundle of
// `@causeway/core` never meets node:fs.
import { createReadStream } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InputError } from "../errors.js";
import type { CausalGraph, GroundTruth, TimeSeries } from "../types.js";
import { graphToJson, parseGraphJson } from "./graph-json.js";
import { type NamedSeries, combineSeries } from "./segments.js";
import { seriesToCsv, seriesToJson } from "./series-write.js";
import { CsvSeriesReader } from "./series-csv.js";
import { type SeriesReadOptions, parseSeriesJson } from "./series.js";
import { extensionOf } from "./text.js";
import { type ReadTruthOptions, parseTruthText, truthToJson } from "./truth.js";

/** An fs error as an `InputError` naming the path. */
function cannotRead(path: string, e: unknown): InputError {
  const code = (e as { code?: string }).code;
  const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : e instanceof Error ? e.message : String(e);
  return new InputError(`${path}: cannot read the file (${reason})`, { file: path });
}

/** Reads a UTF-8 text file; a missing file or a folder is an `InputError` naming the path. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/** Writes a UTF-8 text file, creating its folder when missing. */
export async function writeTextFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, "utf8");
}

/**
 * Reads a time series file (CSV or JSON; `.json`, or content starting with `{`). A CSV file is
 * streamed: memory holds the [T, V] values, the time stamps and one chunk of text, never the
 * whole file as one string.
 *
 * @example const series = await readSeries("data.csv", { maxLag: 3 });
 */
export async function readSeries(path: string, opts: SeriesReadOptions = {}): Promise<TimeSeries> {
  const o = { ...opts, file: opts.file ?? path };
  const ext = extensionOf(path);
  if (ext === ".json") return parseSeriesJson(await readTextFile(path), o);
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    size = st.size;
  } catch (e) {
    throw cannotRead(path, e);
  }
  const reader = new CsvSeriesReader(o, size);
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      // Neither .csv nor .json: content starting with `{` is JSON.
      if (first && ext !== ".csv" && chunk.replace(/^\uFEFF/, "").trimStart().startsWith("{")) {
        stream.destroy();
        return parseSeriesJson(await readTextFile(path), o);
      }
      first = false;
      reader.write(chunk);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw cannotRead(path, e);
  }
  return reader.end();
}

/**
 * Reads one or several series files (CSV or JSON, each checked as `readSeries` does) as one
 * series: a single file as it is, several as segments named by their paths (`combineSeries`).
 *
 * @example const s = await readSeriesFiles(["subject1.csv", "subject2.csv"], { maxLag: 3, missing: "mask" });
 */
export async function readSeriesFiles(paths: string[], opts: SeriesReadOptions = {}): Promise<TimeSeries> {
  if (paths.length === 0) throw new InputError("no series file given");
  const parts: NamedSeries[] = [];
  for (const path of paths) parts.push({ name: path, series: await readSeries(path, opts) });
  return parts.length === 1 ? parts[0].series : combineSeries(parts);
}

/** Writes a series as JSON when `path` ends in `.json`, else as CSV. Creates the folder. */
export async function writeSeries(path: string, series: TimeSeries): Promise<void> {
  await writeTextFile(path, extensionOf(path) === ".json" ? seriesToJson(series) : seriesToCsv(series));
}

/**
 * Reads a ground-truth file, detecting its kind: causeway JSON (starts with `{`), a CDML
 * window-graph target (header `,V_t,V_t-1,...`) or a TCDF `cause,effect,delay` file (needs
 * `variables`). With `variables`, the truth comes back in that order (names must match).
 *
 * @example const truth = await readTruth("demo_groundtruth.csv", { variables: series.variables });
 */
export async function readTruth(path: string, opts: ReadTruthOptions = {}): Promise<GroundTruth> {
  return parseTruthText(await readTextFile(path), path, opts);
}

/** Writes a ground truth as causeway JSON. Creates the folder. */
export async function writeTruth(path: string, truth: GroundTruth): Promise<void> {
  await writeTextFile(path, truthToJson(truth));
}

/** Reads and validates a graph file. */
export async function readGraph(path: string): Promise<CausalGraph> {
  return parseGraphJson(await readTextFile(path), { file: path });
}

/** Writes a graph as pretty, stable JSON. Creates the folder. */
export async function writeGraph(path: string, graph: CausalGraph): Promise<void> {
  await writeTextFile(path, graphToJson(graph));
}
