import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Run `each` once per interval (on a fixed schedule, so the lines do not drift), `count` times or
 * until Ctrl-C, SIGTERM or SIGHUP (the terminal closed): the wait ends at once, even with a long
 * interval, and whatever was written stays well-formed.
 */
export async function everyInterval(
  options: { intervalSeconds: number; count: number | null },
  each: () => Promise<void>,
): Promise<void> {
  const interrupted = new AbortController();
  const stop = (): void => interrupted.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, stop);
  try {
    let next = performance.now();
    for (let taken = 0; options.count === null || taken < options.count; taken += 1) {
      next += options.intervalSeconds * 1000;
      try {
        await sleep(Math.max(0, next - performance.now()), undefined, { signal: interrupted.signal });
      } catch {
        break;
      }
      await each();
    }
  } finally {
    for (const signal of signals) process.off(signal, stop);
  }
}
