import { expect } from "vitest";
import { InputError } from "../errors.js";

/** Runs `fn`, asserts it throws an InputError whose message contains every fragment; returns it. */
export function inputError(fn: () => unknown, fragments: string[]): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  const err = caught as InputError;
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}
