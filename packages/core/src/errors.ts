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

/** Callbacks waiting for the channel of `channelTask` (browsers), run in order, one per message. */
const channelQueue: (() => void)[] = [];
let channelPort: MessagePort | null = null;

/**
 * Runs `callback` in a later task through a MessageChannel: unlike a 0 ms timer, not clamped to
 * 4 ms when calls nest (HTML timers spec), so a loop that yields thousands of times stays fast.
 */
function channelTask(callback: () => void): void {
  if (!channelPort) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => channelQueue.shift()?.();
    (channel.port1 as { unref?: () => void }).unref?.(); // Node: the port must not keep the process alive
    channelPort = channel.port2;
  }
  channelQueue.push(callback);
  channelPort.postMessage(null);
}

/**
 * Resolves on the next turn of the event loop (`setImmediate` in Node; in browsers and workers a
 * MessageChannel task, else a 0 ms timer): long loops await it between units of work so that an
 * abort fired by a timer, a UI event or a worker message can reach `throwIfAborted`, and progress
 * can be drawn.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else if (typeof MessageChannel === "function") channelTask(resolve);
    else setTimeout(resolve, 0);
  });
}
