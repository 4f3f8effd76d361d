/** Test helper: reads the committed tigramite fixtures (fixtures/reference/*.json). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../../fixtures/reference/", import.meta.url));

/** The parsed JSON of one fixture file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readFixture(name: string): any {
  return JSON.parse(readFileSync(DIR + name, "utf8"));
}
