import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";

let dir: string;
let graphPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "causeway-export-"));
  expect((await cli("generate", "var", "--vars", "4", "--length", "600", "--max-lag", "2", "--seed", "2", "--out", join(dir, "v"))).code).toBe(0);
  graphPath = join(dir, "g.json");
  const d = await cli("discover", join(dir, "v", "data.csv"), "--method", "var", "--max-lag", "2", "--out", graphPath);
  expect(d.code).toBe(0);
  // the table: pairs, not self-loops, with the VAR coefficient's sign
  const rows = d.out.split("\n").filter((l) => /^x\d\s+x\d\s/.test(l));
  expect(rows.length).toBe(10);
  expect(rows.some((l) => /^(x\d)\s+\1\s/.test(l))).toBe(false);
  expect(new Set(rows.map((l) => l.split(/\s+/).slice(0, 2).join(">"))).size).toBe(rows.length);
  expect(rows.every((l) => /\s[+-]\s/.test(l))).toBe(true);
}, 60_000);

describe("causeway export / report", () => {
  it("writes each format from the graph file, by --to or by the --out extension", async () => {
    const graph = JSON.parse(await readFile(graphPath, "utf8"));
    const dot = await cli("export", graphPath, "--to", "dot");
    expect(dot.code).toBe(0);
    expect(dot.out.match(/ -> /g)).toHaveLength(graph.edges.length);
    const mmd = await cli("export", graphPath, "--out", join(dir, "g.mmd"));
    expect(mmd.code).toBe(0);
    expect((await readFile(join(dir, "g.mmd"), "utf8")).startsWith("flowchart LR\n")).toBe(true);
    expect((await cli("export", graphPath, "--to", "graphml")).out).toContain("<graphml");
    expect((await cli("export", graphPath, "--to", "svg", "--hide-self")).out).toMatch(/^<svg /);
    expect((await cli("export", graphPath, "--out", join(dir, "g.png"))).code).toBe(0);
    expect((await readFile(join(dir, "g.png"))).subarray(1, 4).toString()).toBe("PNG");
  });

  it("refuses an unknown format, png to stdout, and a report without --out, naming the fix", async () => {
    expect(await cli("export", graphPath, "--to", "pdf")).toMatchObject({ code: 2, err: expect.stringContaining("--to must be one of dot, mermaid, svg, png, graphml") });
    expect(await cli("export", graphPath, "--to", "png")).toMatchObject({ code: 2, err: expect.stringContaining("give --out FILE.png") });
    expect(await cli("export", graphPath)).toMatchObject({ code: 2, err: expect.stringContaining("export needs --to") });
    expect(await cli("report", graphPath)).toMatchObject({ code: 2, err: expect.stringContaining("report needs --out FILE.html") });
  });

  it("report writes one page with every section", async () => {
    const out = join(dir, "r.html");
    expect((await cli("report", graphPath, "--out", out)).code).toBe(0);
    const html = await readFile(out, "utf8");
    for (const id of ["run", "warnings", "graph", "heatmap", "edges"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe("causeway --version", () => {
  it("prints the version of the package's package.json", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    expect(await cli("--version")).toMatchObject({ code: 0, out: `causeway ${pkg.version}\n` });
  });
});
