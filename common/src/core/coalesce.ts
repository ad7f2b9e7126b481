/**
 * Request collapsing for reads that many callers make at once with the same
 * arguments (the home listing): while one read for a key runs, the callers that
 * arrive share the next one instead of each starting its own.
 *
 * A caller never gets the result of a read that started before it asked, so it
 * sees every write acknowledged before its request (a seller who lists a
 * ticket and then opens the listing finds it). At most one read per key runs
 * and one waits; with N callers at once, that is about 2 reads instead of N.
 * A failed read fails the callers that shared it, and only them.
 */
export function coalesceReads<A, T>(
  read: (args: A) => Promise<T>,
  keyOf: (args: A) => string,
): (args: A) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  const waiting = new Map<string, Promise<T>>();
  const start = (key: string, args: A): Promise<T> => {
    waiting.delete(key);
    const current = read(args);
    running.set(key, current);
    const settle = () => {
      if (running.get(key) === current) running.delete(key);
    };
    current.then(settle, settle);
    return current;
  };
  return (args) => {
    const key = keyOf(args);
    const next = waiting.get(key);
    if (next) return next;
    const current = running.get(key);
    if (!current) return start(key, args);
    const after = () => start(key, args);
    const queued = current.then(after, after);
    waiting.set(key, queued);
    return queued;
  };
}
