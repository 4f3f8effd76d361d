/**
 * Run one test suite on every available TensorFlow.js backend (a vitest port of tfjs's
 * `describeWithFlags`). Each test is checked for leaked tensors. Skips live here, each with its reason.
 *
 * @example
 * describeBackends("softmax", ALL_BACKENDS, (backend) => {
 *   it("sums to one", async () => { ... });
 * });
 */
import * as tf from "@tensorflow/tfjs-core";
// Every backend package registers its provider on import: a test file that imports test-utils can
// use wasm, webgpu and cuda (where available) without importing them itself.
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import "@causeway/backend-cuda";
import { probeBackend, useBackend, type BackendName } from "@causeway/core";
import { afterEach, beforeAll, beforeEach, describe, expect } from "vitest";

/** Every backend a suite may run on; unavailable ones are skipped with their probe's reason. */
export const ALL_BACKENDS: readonly BackendName[] = ["cpu", "wasm", "webgpu", "cuda"];

/** Backends that are always installed (the CI baseline). */
export const CPU_BACKENDS: readonly BackendName[] = ["cpu", "wasm"];

/** Probe results, resolved at collection time through top-level await in the caller's file. */
const availability = new Map<BackendName, { available: boolean; reason?: string }>();

/**
 * Probe the backends before describing suites. Call with top-level await in the test file:
 * `await probeBackends();` (vitest collects `describe` blocks synchronously).
 */
export async function probeBackends(names: readonly BackendName[] = ALL_BACKENDS): Promise<void> {
  for (const n of names) if (!availability.has(n)) availability.set(n, await probeBackend(n));
}

/** Names of the probed backends that are available, in the given order. */
export function availableBackends(names: readonly BackendName[] = ALL_BACKENDS): BackendName[] {
  return names.filter((n) => availability.get(n)?.available);
}

export function describeBackends(name: string, backends: readonly BackendName[], fn: (backend: BackendName) => void): void {
  for (const backend of backends) {
    const probe = availability.get(backend);
    if (!probe) throw new Error(`describeBackends: call "await probeBackends()" at the top of the test file before describing "${name}"`);
    if (!probe.available) {
      describe.skip(`${name} [${backend}] (skipped: ${probe.reason ?? "unavailable"})`, () => fn(backend));
      continue;
    }
    describe(`${name} [${backend}]`, () => {
      let before = 0;
      beforeAll(async () => {
        await useBackend(backend);
      });
      beforeEach(async () => {
        // another suite in this file may have switched backends
        await useBackend(backend);
        before = tf.memory().numTensors;
      });
      afterEach(() => {
        expect(tf.memory().numTensors, `tensors leaked by a test on ${backend}`).toBe(before);
      });
      fn(backend);
    });
  }
}

/** Max absolute difference between two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
