import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (bench/src/../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared benchmark data: $CAUSEWAY_DATA, else the `shared/data` folder beside the repository. */
export const DATA_DIR = process.env.CAUSEWAY_DATA ?? join(REPO_ROOT, "..", "shared", "data");

export const hasSharedData = (): boolean => existsSync(DATA_DIR);

export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
