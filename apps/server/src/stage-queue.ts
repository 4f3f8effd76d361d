// The stage queue of `distribute` jobs (`<queue>-stages`): a job's thread hands its method's stages
// (PCMCI's correlation matrix, PC1 and MCI parts) to this queue, and every `causeway worker` takes
// them, on threads of its own (a MethodPool: the job's thread waits for its stages, so they cannot
// share its pool). The series goes to Redis once per job, not with every part.
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { TimeSeries } from "@causeway/core";
import { MethodPool } from "@causeway/methods/node";
import type { StagesRequest } from "./pool.js";
import { decodeSeries, decodeValue, encodeSeries, encodeValue } from "./series-codec.js";

/** One stage of a distributed run, on the stage queue. */
interface StageJobData {
  method: string;
  stage: string;
  /** Redis key of the run's series (`encodeSeries` JSON), written once per job. */
  seriesKey: string;
  /** `encodeValue` of the payload. */
  payload: string;
}

/** A stage's result (`encodeValue`) and the worker process that ran it. */
interface StageJobResult {
  value: string;
  worker: string;
}

/** Stored series expire after this long (seconds), should a worker die before removing them. */
const SERIES_TTL_S = 24 * 3600;

/** The queue of stage jobs next to `queueName`. */
export function stageQueueName(queueName: string): string {
  return `${queueName}-stages`;
}

export interface StageQueue {
  /** Runs a job's stage request: one stage job per payload, for whichever workers are free; results in order, and who ran each. */
  run(jobId: string, req: StagesRequest): Promise<{ values: unknown[]; workers: string[] }>;
  /** The job is over: its stored series goes. */
  forget(jobId: string): Promise<void>;
  /** Stop taking stage jobs (those in hand finish first). */
  stopTaking(): Promise<void>;
  close(): Promise<void>;
}

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Starts taking stage jobs (`threads` at once) and returns the queue's client side for this worker's jobs. */
export async function startStageQueue(queueName: string, redisUrl: string, threads: number, workerName: string): Promise<StageQueue> {
  const name = stageQueueName(queueName);
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const pool = new MethodPool(threads);
  const queue = new Queue<StageJobData, StageJobResult>(name, { connection, defaultJobOptions: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } } });
  const events = new QueueEvents(name, { connection });
  const kv = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let cached: { key: string; series: TimeSeries } | null = null;
  const worker = new Worker<StageJobData, StageJobResult>(
    name,
    async (job) => {
      const { method, stage, seriesKey, payload } = job.data;
      if (cached?.key !== seriesKey) {
        const text = await kv.get(seriesKey);
        if (text === null) throw new Error(`the series of this distributed run is gone from Redis (key ${seriesKey}: expired or flushed)`);
        cached = { key: seriesKey, series: decodeSeries(JSON.parse(text)) };
      }
      const value = await pool.stage(method, stage, cached.series, decodeValue(payload));
      return { value: encodeValue(value), worker: workerName };
    },
    { connection, concurrency: threads, name: workerName },
  );
  worker.on("error", (err) => console.error(`causeway worker (stages): ${err.message}`));
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);

  // per job of this worker: the stored series (a stage request with the same values reuses it)
  const stored = new Map<string, { key: string; series: StagesRequest["series"] }>();
  let nextKey = 0;
  const seriesKey = async (jobId: string, s: StagesRequest["series"]): Promise<string> => {
    const prev = stored.get(jobId);
    const same = prev && prev.series.length === s.length && prev.series.variables.join("\u0000") === s.variables.join("\u0000") && bytesOf(prev.series.data).equals(bytesOf(s.data));
    if (prev && same) return prev.key;
    const key = `${name}:series:${jobId}:${nextKey++}`;
    await kv.set(key, JSON.stringify(encodeSeries(s)), "EX", SERIES_TTL_S);
    if (prev) await kv.del(prev.key);
    stored.set(jobId, { key, series: s });
    return key;
  };

  return {
    async run(jobId, req) {
      const key = await seriesKey(jobId, req.series);
      const jobs = await queue.addBulk(req.payloads.map((p, k) => ({ name: `${jobId}:${req.stage}:${k}`, data: { method: req.method, stage: req.stage, seriesKey: key, payload: encodeValue(p) } })));
      const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events) as Promise<StageJobResult>));
      return { values: results.map((r) => decodeValue(r.value)), workers: results.map((r) => r.worker) };
    },
    async forget(jobId) {
      const entry = stored.get(jobId);
      stored.delete(jobId);
      if (entry) await kv.del(entry.key);
    },
    stopTaking: () => worker.close(),
    async close() {
      await worker.close();
      await pool.close();
      await Promise.all([events.close(), queue.close()]);
      kv.disconnect();
    },
  };
}
