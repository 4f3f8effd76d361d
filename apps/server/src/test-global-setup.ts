// Runs once per test run: an initialised embedded store that tests copy instead of creating their own.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { Store } from "./store.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data directory whose `pg/` holds a migrated, empty store. */
    storeTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "causeway-store-template-"));
  const store = await Store.open({ dataDir: dir });
  await store.close();
  project.provide("storeTemplate", dir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
