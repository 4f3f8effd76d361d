/** An error caused by bad user input (file, row, column, option). The CLI prints its message alone. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    message: string,
    /** Where the problem is, when it is in a file. */
    readonly location: { file?: string; row?: number; column?: string | number } = {},
  ) {
    super(message);
  }
}

/** Thrown when a discovery run is cancelled through its AbortSignal. */
export class AbortError extends Error {
  override name = "AbortError";
  constructor(message = "the run was cancelled") {
    super(message);
  }
}

/** Throws AbortError when `signal` has fired. Call between units of work. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(typeof signal.reason === "string" ? signal.reason : undefined);
}

/**
 * Resolves on the next turn of the event loop (`setImmediate` in Node, a 0 ms timer elsewhere):
 * long loops await it between units of work so that an abort fired by a timer, a UI event or a
 * worker message can reach `throwIfAborted`, and progress can be drawn.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
