import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validTargetRows } from "../samples.js";
import { readSeriesFiles } from "./files.js";
import { combineSeries } from "./segments.js";
import { parseSeriesCsv, parseSeriesJson } from "./series.js";
import { validateSeries } from "./series-check.js";
import { seriesToCsv, seriesToJson } from "./series-write.js";
import { inputError } from "./test-helpers.js";

describe("JSON segments", () => {
  const doc = {
    variables: ["a", "b"],
    segments: [
      { name: "subject-1", data: [[1, 2], [2, 1], [0, 3]] },
      { name: "subject-2", data: [[5, 5], [6, 4], [4, 6], [5, 7]] },
    ],
  };

  it("concatenates the recordings with their starts and names", () => {
    const s = parseSeriesJson(JSON.stringify(doc));
    expect(s.length).toBe(7);
    expect(Array.from(s.data)).toEqual([1, 2, 2, 1, 0, 3, 5, 5, 6, 4, 4, 6, 5, 7]);
    expect(s.segments).toEqual([0, 3]);
    expect(s.segmentNames).toEqual(["subject-1", "subject-2"]);
    expect(Array.from(validTargetRows(s, 1))).toEqual([1, 2, 4, 5, 6]); // row 3 would reach back into subject-1
  });

  it("names the segment and row of a bad cell, and a segment too short", () => {
    const bad = { ...doc, segments: [doc.segments[0], { name: "subject-2", data: [[5, 5], [6, "x"], [4, 6]] }] };
    inputError(() => parseSeriesJson(JSON.stringify(bad), { file: "s.json" }), ['s.json: segments[1].data[1] (segment "subject-2", row 2), variable "b" (segments[1].data[1][1])', "not a number"]);
    inputError(() => parseSeriesJson(JSON.stringify(doc), { file: "s.json", maxLag: 2 }), ['s.json: segments[0] ("subject-1") has 3 rows; each segment needs at least 4']);
    inputError(() => parseSeriesJson(JSON.stringify({ ...doc, data: [[1, 2]] }), { file: "s.json" }), ['give either "data" (one recording) or "segments"']);
  });

  it("masks null cells with missing: mask, and still refuses them without", () => {
    const holes = { ...doc, segments: [doc.segments[0], { name: "subject-2", data: [[5, 5], [6, null], [4, 6], [5, 7]] }] };
    const s = parseSeriesJson(JSON.stringify(holes), { missing: "mask" });
    expect(Array.from(s.mask!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(s.data[9]).toBeNaN();
    expect(() => validateSeries(s)).not.toThrow();
    inputError(() => parseSeriesJson(JSON.stringify(holes), { file: "s.json" }), ['the value is "null" (a missing value)', "--missing mask"]);
  });
});

describe("missing: mask in CSV", () => {
  it("reads empty, NA and NaN cells as missing, NaN in data and 1 in the mask", () => {
    const s = parseSeriesCsv("a,b\n1,2\n,3\n4,NA\nNaN,5\n6,7\n8,6\n", { missing: "mask" });
    expect(Array.from(s.mask!)).toEqual([0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect([s.data[2], s.data[5], s.data[6]].every(Number.isNaN)).toBe(true);
    expect(s.data[3]).toBe(3);
    expect(parseSeriesCsv("a,b\n1,2\n3,4\n5,7\n", { missing: "mask" }).mask).toBeUndefined(); // nothing missing: no mask
  });

  it("keeps the clear error without the option, which now mentions --missing mask", () => {
    inputError(() => parseSeriesCsv("a,b\n1,2\n,3\n4,5\n", { file: "d.csv" }), ['d.csv: line 3 (row 2), column "a" (#1): the cell is empty (a missing value)', "--impute ffill", "--missing mask"]);
    inputError(() => parseSeriesCsv("a,b\n1,2\n,3\n4,5\n", { file: "d.csv", missing: "mask", impute: "ffill" }), ["either forward-filled (impute) or masked (missing), not both"]);
  });
});

describe("several files as segments", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "causeway-segments-"));
    await writeFile(join(dir, "a.csv"), "x,y\n1,2\n2,3\n3,5\n");
    await writeFile(join(dir, "b.csv"), "y,x\n10,20\n11,21\n12,23\n13,22\n"); // same variables, other order
    await writeFile(join(dir, "c.csv"), "x,z\n1,2\n2,3\n3,4\n");
    await writeFile(join(dir, "d.json"), JSON.stringify({ variables: ["x", "y"], segments: [{ name: "s1", data: [[0, 1], [1, 0], [2, 2]] }, { data: [[3, 1], [1, 3], [2, 2]] }] }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("concatenates files of the same variables, re-ordered by name, one segment each", async () => {
    const s = await readSeriesFiles([join(dir, "a.csv"), join(dir, "b.csv")]);
    expect(s.variables).toEqual(["x", "y"]);
    expect(Array.from(s.data)).toEqual([1, 2, 2, 3, 3, 5, 20, 10, 21, 11, 23, 12, 22, 13]);
    expect(s.segments).toEqual([0, 3]);
    expect(s.segmentNames).toEqual([join(dir, "a.csv"), join(dir, "b.csv")]);
  });

  it("flattens a file that has segments of its own", async () => {
    const s = await readSeriesFiles([join(dir, "a.csv"), join(dir, "d.json")]);
    expect(s.segments).toEqual([0, 3, 6]);
    expect(s.segmentNames).toEqual([join(dir, "a.csv"), `${join(dir, "d.json")}: s1`, `${join(dir, "d.json")}: segment-2`]);
  });

  it("names the file whose variables differ", async () => {
    await expect(readSeriesFiles([join(dir, "a.csv"), join(dir, "c.csv")])).rejects.toThrow(
      `${join(dir, "c.csv")}: its variables (x, z) differ from ${join(dir, "a.csv")}'s (x, y); missing: y; not in ${join(dir, "a.csv")}: z; every recording needs the same variables`,
    );
  });

  it("keeps the masks of the parts", () => {
    const a = parseSeriesCsv("x,y\n1,2\n,3\n3,5\n", { missing: "mask" });
    const b = parseSeriesCsv("y,x\n1,2\n3,4\nNA,5\n", { missing: "mask" });
    const s = combineSeries([
      { name: "a", series: a },
      { name: "b", series: b },
    ]);
    expect(Array.from(s.mask!)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe("writers", () => {
  it("round-trip segments, names and missing cells through JSON, and missing cells through CSV", () => {
    const doc = { variables: ["a", "b"], segments: [{ name: "s1", data: [[1, 2], [2, null], [0, 3]] }, { name: "s2", data: [[5, 5], [6, 4], [4.5, 6]] }] };
    const s = parseSeriesJson(JSON.stringify(doc), { missing: "mask" });
    const back = parseSeriesJson(seriesToJson(s), { missing: "mask" });
    expect(JSON.parse(seriesToJson(s))).toEqual(doc);
    expect(back.segments).toEqual([0, 3]);
    expect(back.segmentNames).toEqual(["s1", "s2"]);
    expect(Array.from(back.mask!)).toEqual(Array.from(s.mask!));
    expect(() => seriesToCsv(s)).toThrow("a series of 2 recordings (segments) is written as JSON");
    const one = parseSeriesCsv("a,b\n1,2\n,3\n4,NA\n6,7\n", { missing: "mask" });
    expect(seriesToCsv(one)).toBe("a,b\n1,2\n,3\n4,\n6,7\n");
  });
});
