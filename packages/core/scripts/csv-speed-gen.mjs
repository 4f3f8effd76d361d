// Writes big.csv (time + 20 columns of 12-digit decimals, 100,000 rows, LF), bigcrlf.csv (CRLF)
// and bigq.csv (every cell quoted) into the folder given, for csv-speed.sh.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
const dir = process.argv[2];
const T = 100000;
const V = 20;
let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const lines = ["time," + Array.from({ length: V }, (_, v) => `S${v}`).join(",")];
for (let t = 0; t < T; t++) {
  const cells = [String(t)];
  for (let v = 0; v < V; v++) cells.push(((rand() - 0.5) * 10).toPrecision(12));
  lines.push(cells.join(","));
}
writeFileSync(join(dir, "big.csv"), lines.join("\n") + "\n");
writeFileSync(join(dir, "bigcrlf.csv"), lines.join("\r\n") + "\r\n");
writeFileSync(join(dir, "bigq.csv"), lines.map((l) => l.split(",").map((c) => `"${c}"`).join(",")).join("\n") + "\n");
