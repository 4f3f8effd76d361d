import { parseSeriesCsv, parseSeriesJson, parseTcdfTruth, parseTruthJson, type GroundTruth, type TimeSeries } from "@causeway/core";

/** A loaded series and the text it came from (sent as is to a server). */
export interface Dataset {
  name: string;
  text: string;
  series: TimeSeries;
}

/** An example listed in `public/examples/index.json`. */
export interface ExampleInfo {
  id: string;
  title: string;
  csv: string;
  truth: string;
  variables: number;
  length: number;
  maxLag: number;
}

/** Parse a CSV or JSON series (formats.md); errors name the file, row and column. */
export function parseDataset(name: string, text: string): Dataset {
  const json = name.toLowerCase().endsWith(".json") || text.trimStart().startsWith("{");
  const series = json ? parseSeriesJson(text, { file: name }) : parseSeriesCsv(text, { file: name });
  return { name, text, series };
}

/** Parse a ground truth: formats.md JSON, or TCDF's `cause,effect,delay` lines (column indices). */
export function parseTruth(name: string, text: string, variables: string[]): GroundTruth {
  if (text.trimStart().startsWith("{")) return parseTruthJson(text, { file: name, variables });
  return parseTcdfTruth(text, { file: name, variables });
}

/** URL of a bundled example file (served from `public/examples`). */
export function exampleUrl(file: string): string {
  return `${import.meta.env.BASE_URL}examples/${file}`;
}

export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  return res.text();
}
