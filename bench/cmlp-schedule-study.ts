// The tuning study behind cmlp's default λ-path schedule (issue 20): every variant of the
// schedule on the same seeded data sets, one line of JSON per (data set, variant) with AUROC,
// F1, wall and CPU seconds and iterations. Tuning seeds only (the benches use 0-4 and 1-2).
// Run: cd bench && node --conditions=@causeway/source --import tsx cmlp-schedule-study.ts \
//   '{"old":{"warmupIters":200,"stepIters":40},"new":{}}' l96-v20,lorenz96-v10-f10,nonlinear-v5-l3 13 4
import "@causeway/backend-wasm";
import { useBackend, type GroundTruth, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateCollection, generateLorenz96, getCollection } from "@causeway/synth";
import { cmlpMethod } from "@causeway/granger";

const [variantsJson, collectionList, firstSeed = "10", countArg = "3"] = process.argv.slice(2);
const variants = JSON.parse(variantsJson) as Record<string, Record<string, string | number>>;
const first = Number(firstSeed);
const count = Number(countArg);
await useBackend("wasm");

const sets: { name: string; series: TimeSeries; truth: GroundTruth; maxLag: number }[] = [];
for (const c of collectionList.split(",")) {
  if (c === "l96-v20") {
    // the speed bench's series (Lorenz-96 V=20, F=10, T=1000, maxLag 5) at other seeds
    for (let seed = first; seed < first + count; seed++) {
      const d = generateLorenz96({ vars: 20, length: 1000, forcing: 10, seed });
      sets.push({ name: `${c}#${seed}`, series: d.series, truth: d.truth, maxLag: 5 });
    }
    continue;
  }
  const opts = getCollection(c).options as { maxLag?: number };
  for (const d of generateCollection(c, { count, seed: first })) sets.push({ name: `${c}#${d.seed}`, series: d.series, truth: d.truth, maxLag: opts.maxLag ?? 3 });
}
// warm-up at the first data set's shapes
await cmlpMethod.discover(sets[0].series, { maxLag: sets[0].maxLag, seed: 0, params: { pathSteps: 2, warmupIters: 10, stepIters: 5 } });
for (const ds of sets)
  for (const [label, params] of Object.entries(variants)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const g = await cmlpMethod.discover(ds.series, { maxLag: ds.maxLag, seed: 0, params });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const s = scoreGraph(ds.truth, g);
    const row = { ds: ds.name, label, wall: +wall.toFixed(2), cpu: +((c.user + c.system) / 1e6).toFixed(2), lag: s.aurocLagged, sum: s.aurocSummary, noself: s.aurocSummaryNoSelf, f1: s.f1, f1s: s.f1Summary, it: g.meta.iterations, lambdas: (g.meta.lambdas as number[] | undefined)?.length };
    console.log(JSON.stringify(row));
  }
