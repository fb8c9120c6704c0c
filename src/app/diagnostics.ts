import { appendFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { v8IsLean } from './v8-lean-mode.js';

/** One line of the diagnostics log. */
export interface DiagnosticsRecord {
  /** seconds since paratop started */
  t: number;
  rss: number;
  heapUsed: number;
  /** what V8 has reserved for the heap: RSS grows with it even when heapUsed does not */
  heapTotal: number;
  /** memory outside the JS heap: Buffers, ArrayBuffers and native objects V8 knows of */
  external: number;
  /** open file descriptors */
  fds: number | null;
  /** event-loop delay over the period: how late timers and input ran, ms (the sampling period taken off) */
  lagMeanMs: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** whether V8 is still in lean mode (see v8-lean-mode.ts) */
  v8Lean: boolean;
}

const PERIOD_MS = 10_000;
/** The histogram samples with a timer of this period, and its figures include that period. */
const RESOLUTION_MS = 10;

/**
 * With PARATOP_DIAGNOSTICS=<file>, paratop appends its own health to that file every ten seconds:
 * memory, open files and event-loop delay. `npm run soak` reads it; users may too, for bug reports.
 */
export function startDiagnostics(file: string, periodMs = PERIOD_MS): () => void {
  const started = performance.now();
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const late = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    let fds: number | null = null;
    try {
      fds = readdirSync('/proc/self/fd').length;
    } catch {
      // not Linux
    }
    const record: DiagnosticsRecord = {
      t: Math.round((performance.now() - started) / 100) / 10,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      fds,
      lagMeanMs: late(delay.mean),
      lagP99Ms: late(delay.percentile(99)),
      lagMaxMs: late(delay.max),
      v8Lean: v8IsLean(),
    };
    delay.reset();
    try {
      appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      // a diagnostics file that cannot be written must not break the dashboard
    }
  }, periodMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}
