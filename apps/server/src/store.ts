// Durable store for datasets, jobs and results: the same SQL on embedded PGlite and on Postgres.
import { randomUUID } from "node:crypto";
import { endianness } from "node:os";
import type { ProgressEvent, TimeSeries } from "@causeway/core";
import { openPglite, openPostgres, type Sql } from "./sql.js";
import type { DatasetInfo, JobOptions, JobRecord, JobState } from "./types.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS datasets (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'json')),
  variables jsonb NOT NULL,
  length integer NOT NULL,
  bytes integer NOT NULL,
  data bytea NOT NULL,
  time jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE IF NOT EXISTS dataset_chunks (
  dataset_id uuid NOT NULL,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (dataset_id, seq)
);
CREATE TABLE IF NOT EXISTS jobs (
  id uuid PRIMARY KEY,
  dataset_id uuid NOT NULL REFERENCES datasets (id),
  method text NOT NULL,
  options jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress jsonb NOT NULL DEFAULT '{"fraction": 0}',
  error text,
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  client text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX IF NOT EXISTS jobs_state_created ON jobs (state, created_at);
CREATE TABLE IF NOT EXISTS results (
  job_id uuid PRIMARY KEY REFERENCES jobs (id),
  graph text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
`;

/**
 * Values larger than this go in `dataset_chunks`, one statement per chunk with a turn of the event
 * loop in between: an embedded (PGlite) statement runs on the event loop, and one 32 MB value held
 * it for seconds.
 */
export const CHUNK_BYTES = 1024 * 1024;

/** Lets timers and I/O (other requests) run between two statements of a long write or read. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Values are stored as the raw bytes of a Float64Array; every platform Node ships on is little-endian. */
if (endianness() !== "LE") throw new Error("@causeway/server stores float64 values little-endian and needs a little-endian CPU");

interface JobRow {
  id: string;
  dataset_id: string;
  method: string;
  options: JobOptions;
  state: JobState;
  progress: JobRecord["progress"];
  error: string | null;
  attempts: number;
  worker: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

interface DatasetRow {
  id: string;
  name: string;
  format: "csv" | "json";
  variables: string[];
  length: number;
  bytes: number;
  created_at: Date | string;
}

const JOB_COLUMNS = "id, dataset_id, method, options, state, progress, error, attempts, worker, created_at, started_at, finished_at";
const DATASET_COLUMNS = "id, name, format, variables, length, bytes, created_at";
const ACTIVE = "('queued', 'running')";

function iso(t: Date | string | null): string | null {
  if (t === null) return null;
  return (t instanceof Date ? t : new Date(t)).toISOString();
}

function toJob(r: JobRow): JobRecord {
  return {
    id: r.id,
    dataset: r.dataset_id,
    method: r.method,
    options: r.options,
    state: r.state,
    progress: r.progress,
    error: r.error,
    attempts: r.attempts,
    worker: r.worker,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

function toDataset(r: DatasetRow): DatasetInfo {
  return { id: r.id, name: r.name, format: r.format, variables: r.variables, length: r.length, bytes: r.bytes, createdAt: iso(r.created_at)! };
}

/** Progress as stored: the event without the method name (the job has it). */
function storedProgress(e: ProgressEvent): JobRecord["progress"] {
  const { fraction, stage, step, total, message, metrics } = e;
  return { fraction, stage, step, total, message, metrics };
}

/** Datasets, jobs and results. Every state change is one guarded statement, so concurrent writers (several API nodes) agree. */
export class Store {
  private constructor(readonly sql: Sql) {}

  /** Open Postgres when `databaseUrl` is set, else the embedded store under `dataDir`; creates the tables. */
  static async open(options: { dataDir: string; databaseUrl?: string }): Promise<Store> {
    const sql = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
    const store = new Store(sql);
    try {
      await store.migrate();
    } catch (e) {
      await sql.close();
      throw e;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    // Several API nodes may start at once against one Postgres: one migrates at a time.
    await this.sql.exec(`BEGIN; SELECT pg_advisory_xact_lock(7215001); ${SCHEMA} COMMIT;`);
  }

  async insertDataset(d: { name: string; format: "csv" | "json"; bytes: number; series: TimeSeries }): Promise<DatasetInfo> {
    const { variables, length, data, time } = d.series;
    const id = randomUUID();
    // The values travel as base64 text: PGlite encodes a binary parameter byte by byte on the
    // event loop (16 MB took 18 s, blocking every request), base64 + decode() takes under one.
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let inline = bytes.toString("base64");
    if (bytes.byteLength > CHUNK_BYTES) {
      // Chunks first, the dataset row last: nobody sees the dataset before its values are in.
      inline = "";
      for (let seq = 0; seq * CHUNK_BYTES < bytes.byteLength; seq++) {
        const chunk = bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES).toString("base64");
        await this.sql.query("INSERT INTO dataset_chunks (dataset_id, seq, data) VALUES ($1, $2, decode($3, 'base64'))", [id, seq, chunk]);
        await yieldToLoop();
      }
    }
    const rows = await this.sql.query<DatasetRow>(
      `INSERT INTO datasets (id, name, format, variables, length, bytes, data, time)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, decode($7, 'base64'), $8::jsonb) RETURNING ${DATASET_COLUMNS}`,
      [id, d.name, d.format, JSON.stringify(variables), length, d.bytes, inline, time ? JSON.stringify(time) : null],
    );
    return toDataset(rows[0]);
  }

  async getDataset(id: string): Promise<DatasetInfo | null> {
    const rows = await this.sql.query<DatasetRow>(`SELECT ${DATASET_COLUMNS} FROM datasets WHERE id = $1`, [id]);
    return rows[0] ? toDataset(rows[0]) : null;
  }

  /** The dataset's values, ready for a method. */
  async loadSeries(id: string): Promise<TimeSeries | null> {
    // As text too (see insertDataset); Postgres's base64 has a newline every 76 characters, which Buffer skips.
    const rows = await this.sql.query<{ variables: string[]; length: number; data: string; time: string[] | null }>(
      "SELECT variables, length, encode(data, 'base64') AS data, time FROM datasets WHERE id = $1",
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    const size = r.length * r.variables.length * 8;
    let bytes = Buffer.from(r.data, "base64");
    if (bytes.byteLength === 0 && size > CHUNK_BYTES) {
      // A large dataset: its values are in dataset_chunks, read one chunk per statement.
      bytes = Buffer.alloc(size);
      for (let seq = 0; seq * CHUNK_BYTES < size; seq++) {
        const chunk = await this.sql.query<{ data: string }>("SELECT encode(data, 'base64') AS data FROM dataset_chunks WHERE dataset_id = $1 AND seq = $2", [id, seq]);
        if (!chunk[0]) throw new Error(`dataset ${id} is missing chunk ${seq} of its values`);
        bytes.write(chunk[0].data, seq * CHUNK_BYTES, "base64");
        await yieldToLoop();
      }
    }
    // slice() copies into a fresh, 8-byte-aligned buffer.
    const data = new Float64Array(Uint8Array.prototype.slice.call(bytes).buffer); // [T, V]
    return { variables: r.variables, length: r.length, data, ...(r.time ? { time: r.time } : {}) };
  }

  async insertJob(j: { datasetId: string; method: string; options: JobOptions; client: string }): Promise<JobRecord> {
    const rows = await this.sql.query<JobRow>(
      `INSERT INTO jobs (id, dataset_id, method, options, state, client) VALUES ($1, $2, $3, $4::jsonb, 'queued', $5) RETURNING ${JOB_COLUMNS}`,
      [randomUUID(), j.datasetId, j.method, JSON.stringify(j.options), j.client],
    );
    return toJob(rows[0]);
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const rows = await this.sql.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** queued → running; null when the job is no longer queued (cancelled meanwhile). */
  async claimJob(id: string, worker: string): Promise<JobRecord | null> {
    const rows = await this.sql.query<JobRow>(
      `UPDATE jobs SET state = 'running', started_at = clock_timestamp(), attempts = attempts + 1, worker = $2
       WHERE id = $1 AND state = 'queued' RETURNING ${JOB_COLUMNS}`,
      [id, worker],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async setProgress(id: string, event: ProgressEvent): Promise<void> {
    await this.sql.query("UPDATE jobs SET progress = $2::jsonb WHERE id = $1 AND state = 'running'", [id, JSON.stringify(storedProgress(event))]);
  }

  /** Store the graph and mark the job succeeded (by `worker`, when given), in one statement; null when the job had already ended (e.g. cancelled). */
  async succeedJob(id: string, graph: string, worker?: string): Promise<JobRecord | null> {
    const rows = await this.sql.query<JobRow>(
      `WITH done AS (
         UPDATE jobs SET state = 'succeeded', finished_at = clock_timestamp(), worker = COALESCE($3, worker),
           started_at = COALESCE(started_at, clock_timestamp()),
           progress = jsonb_set(progress, '{fraction}', '1')
         WHERE id = $1 AND state IN ${ACTIVE} RETURNING ${JOB_COLUMNS}
       ), saved AS (
         INSERT INTO results (job_id, graph) SELECT id, $2 FROM done ON CONFLICT (job_id) DO NOTHING
       )
       SELECT * FROM done`,
      [id, graph, worker ?? null],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Mark an active job failed (or cancelled) with a reason; null when it had already ended. */
  async endJob(id: string, state: "failed" | "cancelled", error: string): Promise<JobRecord | null> {
    const rows = await this.sql.query<JobRow>(
      `UPDATE jobs SET state = $2, error = $3, finished_at = clock_timestamp() WHERE id = $1 AND state IN ${ACTIVE} RETURNING ${JOB_COLUMNS}`,
      [id, state, error],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** running → queued (the server stopped cleanly under it: it runs again on the next start). */
  async requeueJob(id: string): Promise<void> {
    await this.sql.query(
      `UPDATE jobs SET state = 'queued', started_at = NULL, worker = NULL, progress = '{"fraction": 0}' WHERE id = $1 AND state = 'running'`,
      [id],
    );
  }

  /** Running jobs and the worker that holds each. */
  async runningJobs(): Promise<{ id: string; worker: string | null }[]> {
    return this.sql.query<{ id: string; worker: string | null }>("SELECT id, worker FROM jobs WHERE state = 'running' ORDER BY created_at, id");
  }

  /** Crash recovery: the given jobs, if still running, fail with `reason`. Returns the ids changed. */
  async failRunningJobs(ids: string[], reason: string): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>(
      "UPDATE jobs SET state = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = ANY($1::uuid[]) AND state = 'running' RETURNING id",
      [ids, reason],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of jobs in the given states, oldest first. */
  async jobIds(states: JobState[]): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>("SELECT id FROM jobs WHERE state = ANY($1::text[]) ORDER BY created_at, id", [states]);
    return rows.map((r) => r.id);
  }

  async getGraph(jobId: string): Promise<string | null> {
    const rows = await this.sql.query<{ graph: string }>("SELECT graph FROM results WHERE job_id = $1", [jobId]);
    return rows[0]?.graph ?? null;
  }

  /** Jobs per state (health endpoint). */
  async counts(): Promise<Record<JobState, number>> {
    const rows = await this.sql.query<{ state: JobState; n: number }>("SELECT state, count(*)::int AS n FROM jobs GROUP BY state");
    const out: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
