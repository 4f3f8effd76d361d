// One SQL interface over two engines that run the same SQL: PGlite (Postgres compiled to
// WebAssembly, embedded, persisted to a directory) and a real Postgres through `pg`.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** A connection to Postgres (embedded or real): parameterised queries with `$1, $2, ...`. */
export interface Sql {
  /** "pglite" (embedded, one process) or "postgres" (shared by every API node). */
  readonly kind: "pglite" | "postgres";
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Embedded Postgres in `<dataDir>/pg`. The first start creates the cluster (several seconds); later starts take about one. */
export async function openPglite(dataDir: string): Promise<Sql> {
  const dir = join(dataDir, "pg");
  await mkdir(dir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(dir);
  return {
    kind: "pglite",
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    close: () => db.close(),
  };
}

/** A pool of connections to the Postgres at `url`. */
export async function openPostgres(url: string): Promise<Sql> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail at start, with the reason, when the database cannot be reached.
  await pool.query("SELECT 1");
  return {
    kind: "postgres",
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async exec(text: string) {
      await pool.query(text);
    },
    close: () => pool.end(),
  };
}
