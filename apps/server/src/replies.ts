// What the API answers besides its routes' bodies: HTTP errors and the public view of a job.
import type { FastifyReply } from "fastify";
import { isTerminal, type JobRecord, type JobView } from "./types.js";

/** A 4xx answer with a message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The public view of a job: the record, timings derived from its timestamps, and its links. */
export function jobView(job: JobRecord, now = Date.now()): JobView {
  const t = (s: string | null) => (s === null ? null : Date.parse(s));
  const created = t(job.createdAt)!;
  const started = t(job.startedAt);
  const finished = t(job.finishedAt);
  const queuedEnd = started ?? (isTerminal(job.state) ? finished : now);
  return {
    ...job,
    timings: {
      queuedSeconds: queuedEnd === null ? null : (queuedEnd - created) / 1000,
      runSeconds: started === null ? null : ((finished ?? now) - started) / 1000,
    },
    links: { self: `/v1/jobs/${job.id}`, events: `/v1/jobs/${job.id}/events`, graph: `/v1/jobs/${job.id}/graph` },
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function sendError(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).type("application/json").send({ statusCode, error: STATUS_NAMES[statusCode] ?? "Error", message });
}
