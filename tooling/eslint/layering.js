// ESLint rule `causeway/layering`: a file may import only the @causeway packages its package's row
// in layers.js allows (see ARCHITECTURE.md). The package is found from the file's nearest package.json,
// so the rule holds wherever eslint runs from.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { DEFAULT_ROW, LAYERS, TOOLING } from "./layers.js";

/** @type {Map<string, { name: string; root: string } | null>} directory -> its package */
const packageOf = new Map();

function findPackage(dir) {
  if (packageOf.has(dir)) return packageOf.get(dir);
  const file = join(dir, "package.json");
  let found = null;
  if (existsSync(file)) found = { name: JSON.parse(readFileSync(file, "utf8")).name ?? "", root: dir };
  else if (dirname(dir) !== dir) found = findPackage(dirname(dir));
  packageOf.set(dir, found);
  return found;
}

/** Test code: `*.test.*`, or under an `e2e/` or `test/` folder of the package. */
export function isTestFile(file, root) {
  if (/\.test\.[cm]?[jt]sx?$/.test(file)) return true;
  const parts = relative(root, file).split(sep);
  return parts.slice(0, -1).some((p) => p === "e2e" || p === "test");
}

/** @type {import("eslint").Rule.RuleModule} */
export const layering = {
  meta: {
    type: "problem",
    docs: { description: "enforce the package layering of ARCHITECTURE.md" },
    schema: [],
    messages: {
      forbidden: "{{from}} may not import {{to}}{{where}}: see the layer table in ARCHITECTURE.md (tooling/eslint/layers.js).",
    },
  },
  create(context) {
    const pkg = findPackage(dirname(context.filename));
    if (!pkg || !pkg.name.startsWith("@causeway/")) return {};
    // tooling holds config only: it may use other tooling, never a package
    const row = TOOLING.includes(pkg.name) ? { src: [], test: [] } : (LAYERS[pkg.name] ?? DEFAULT_ROW);
    const test = isTestFile(context.filename, pkg.root);
    const allowed = new Set([pkg.name, ...TOOLING, ...row.src, ...(test ? row.test : [])]);
    const check = (node, source) => {
      if (typeof source !== "string") return;
      const m = /^(@causeway\/[^/]+)/.exec(source);
      if (!m || allowed.has(m[1])) return;
      const where = !test && row.test.includes(m[1]) ? " outside its tests" : "";
      context.report({ node, messageId: "forbidden", data: { from: pkg.name, to: m[1], where } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
    };
  },
};
