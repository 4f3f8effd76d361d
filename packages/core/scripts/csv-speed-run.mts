// One process of csv-speed.sh: parseSeriesCsv from the io/ folder given on the file, best of 5 (ms).
import { readFileSync } from "node:fs";
const [io, file, label] = process.argv.slice(2);
const { parseSeriesCsv } = await import(`${io}/series.ts`);
const text = readFileSync(file, "utf8");
const times: number[] = [];
let rows = 0;
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  rows = parseSeriesCsv(text).length;
  times.push(performance.now() - t0);
}
console.log(`${label} ${file.split("/").pop()} ${Math.min(...times).toFixed(0)} ms (${rows} rows)`);
