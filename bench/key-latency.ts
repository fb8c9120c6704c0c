import { FrameDetector } from './frame-detector.js';
import { BIN } from './paths.js';
import { quitPty, sleep, startInPty } from './pty-process.js';

export interface KeyLatency {
  presses: number;
  /** presses whose frame did not complete within timeoutMs: counted in the percentiles as timeoutMs */
  timeouts: number;
  timeoutMs: number;
  /** silence after the frame's last chunk that marks it complete (not counted in the latency) */
  quietMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const COLS = 120;
const ROWS = 40;
const TIMEOUT_MS = 1000;
const QUIET_MS = 20;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * From writing a key (↓ or ↑, moving the selection) to the completed frame: the last byte of the
 * burst of output that moved the selected row, as drawn by a headless xterm (see FrameDetector).
 * Sampling is paused first (space), so every frame measured is the key's own. A press with no
 * completed frame within 1 s counts as a timeout, and as 1000 ms in the percentiles.
 */
export async function measureKeyLatency(presses: number): Promise<KeyLatency> {
  const detector = new FrameDetector(COLS, ROWS, QUIET_MS);
  const terminal = startInPty(process.execPath, [BIN], {}, COLS, ROWS);
  terminal.onData((data) => detector.feed(data, performance.now()));
  try {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      await detector.drained();
      if (detector.selection() !== null) break;
      await sleep(50);
    }
    if (detector.selection() === null) throw new Error('key latency: paratop showed no selected row within 15 s');
    await sleep(2000);
    terminal.write(' ');
    await sleep(500);
    const latencies: number[] = [];
    let timeouts = 0;
    for (let press = 0; press < presses; press += 1) {
      await detector.drained();
      const frame = detector.nextFrame(TIMEOUT_MS);
      const sentAt = performance.now();
      terminal.write(press % 20 < 10 ? '\x1b[B' : '\x1b[A');
      const completedAt = await frame;
      if (completedAt === null) {
        timeouts += 1;
        latencies.push(TIMEOUT_MS);
        await sleep(200);
      } else {
        latencies.push(completedAt - sentAt);
      }
      await sleep(10);
    }
    latencies.sort((a, b) => a - b);
    return {
      presses: latencies.length,
      timeouts,
      timeoutMs: TIMEOUT_MS,
      quietMs: QUIET_MS,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1) ?? Number.NaN,
    };
  } finally {
    await quitPty(terminal);
    detector.dispose();
  }
}
