// Node globals that method code may use, provided in the worker where the browser lacks them.
// (`setImmediate`: @causeway/transformer and relevance-allocator yield with it between steps.)

export type SetImmediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => number;

/** A macrotask scheduler without setTimeout's 4 ms clamp on nested calls: one MessageChannel, a FIFO queue. */
export function messageChannelImmediate(): SetImmediate {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  let next = 1;
  return (callback, ...args) => {
    queue.push(() => callback(...args));
    channel.port2.postMessage(null);
    return next++;
  };
}

const scope = globalThis as unknown as { setImmediate?: SetImmediate };
if (typeof scope.setImmediate !== "function") scope.setImmediate = messageChannelImmediate();
