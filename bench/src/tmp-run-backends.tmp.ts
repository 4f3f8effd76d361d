import { suite } from "./suites/backends.js";
const quick = process.argv.includes("--quick");
const r = await suite.run({ json: false, quick, args: process.argv.slice(2), log: (l) => process.stderr.write(l + "\n") });
console.log(r.markdown);
