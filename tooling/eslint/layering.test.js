// The layering rule fires through each package's real eslint.config.js: a wrong import fails `pnpm lint`.
import { ESLint } from "eslint";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** The layering messages eslint reports for `code` saved as `file` (relative to the repo root). */
async function layeringErrors(file, code) {
  const dir = join(root, file.split("/").slice(0, 2).join("/"));
  const eslint = new ESLint({ cwd: dir });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === "causeway/layering").map((m) => m.message);
}

describe("causeway/layering", () => {
  it("rejects an import from a higher layer, naming both packages", async () => {
    const errors = await layeringErrors("packages/core/src/x.ts", 'import { scoreGraph } from "@causeway/metrics";\nexport const f = scoreGraph;\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^@causeway\/core may not import @causeway\/metrics: see the layer table in ARCHITECTURE\.md/);
  });

  it("allows metrics and synth in a method package's tests, not in its source", async () => {
    const code = 'import { generateVar } from "@causeway/synth";\nexport const g = generateVar;\n';
    expect(await layeringErrors("packages/granger/src/var.test.ts", code)).toEqual([]);
    const errors = await layeringErrors("packages/granger/src/x.ts", code);
    expect(errors).toEqual([expect.stringMatching(/^@causeway\/granger may not import @causeway\/synth outside its tests/)]);
  });

  it("checks re-exports, dynamic imports and subpaths; nothing below apps imports an app", async () => {
    const code = 'export * from "@causeway/cli/x";\nexport const s = () => import("@causeway/server");\n';
    expect(await layeringErrors("packages/methods/src/x.ts", code)).toHaveLength(2);
    expect(await layeringErrors("apps/server/src/x.ts", 'export { x } from "@causeway/cli";\n')).toHaveLength(1);
    expect(await layeringErrors("apps/cli/src/x.ts", 'export const s = () => import("@causeway/server");\n')).toEqual([]);
  });

  it("keeps test-utils out of library source (tests and e2e may use it)", async () => {
    const code = 'import { maxAbsDiff } from "@causeway/test-utils";\nexport const m = maxAbsDiff;\n';
    expect(await layeringErrors("packages/core/src/x.ts", code)).toHaveLength(1);
    expect(await layeringErrors("packages/core/src/x.test.ts", code)).toEqual([]);
    expect(await layeringErrors("apps/web/e2e/x.ts", code)).toEqual([]);
  });

  it("keeps tooling free of packages", async () => {
    expect(await layeringErrors("tooling/eslint/x.js", 'import { useBackend } from "@causeway/core";\nexport const u = useBackend;\n')).toHaveLength(1);
    expect(await layeringErrors("tooling/eslint/x.js", 'import base from "@causeway/eslint-config";\nexport default base;\n')).toEqual([]);
  });

  it("keeps backend packages out of method packages' source, and lets apps and test-utils import them", async () => {
    const code = 'import "@causeway/backend-wasm";\nexport const x = 1;\n';
    const errors = await layeringErrors("packages/granger/src/x.ts", code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^@causeway\/granger may not import @causeway\/backend-wasm/);
    expect(await layeringErrors("packages/methods/src/x.ts", code)).toHaveLength(1);
    expect(await layeringErrors("packages/test-utils/src/x.ts", code)).toEqual([]);
    expect(await layeringErrors("apps/web/src/worker/x.ts", code)).toEqual([]);
    expect(await layeringErrors("apps/cli/src/x.ts", 'import "@causeway/backend-cuda";\nexport const x = 1;\n')).toEqual([]);
    // the viewer is a browser bundle: no Node-only cuda backend
    expect(await layeringErrors("apps/web/src/worker/x.ts", 'import "@causeway/backend-cuda";\nexport const x = 1;\n')).toHaveLength(1);
    // a backend builds on core only
    expect(await layeringErrors("packages/backend-webgpu/src/x.ts", code)).toHaveLength(1);
    expect(await layeringErrors("packages/backend-webgpu/src/x.test.ts", code)).toEqual([]);
  });

  it("allows the method packages in the registry", async () => {
    const code = 'import { varMethod } from "@causeway/granger";\nimport { tcdfMethod } from "@causeway/tcdf";\nexport const all = [varMethod, tcdfMethod];\n';
    expect(await layeringErrors("packages/methods/src/index.ts", code)).toEqual([]);
  });
});
