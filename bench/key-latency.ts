import { BIN } from './paths.js';
import { sleep, startInPty } from './pty-process.js';

export interface KeyLatency {
  presses: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * From writing a key (moving the selection) to the first bytes of the new frame coming back from
 * paratop. Sampling is paused first (space), so every frame measured is the key's own.
 */
export async function measureKeyLatency(presses: number): Promise<KeyLatency> {
  const terminal = startInPty(process.execPath, [BIN], {}, 120, 40);
  let waiting: ((at: number) => void) | null = null;
  let screen = '';
  terminal.onData((data) => {
    screen = (screen + data).slice(-4000);
    const resolve = waiting;
    waiting = null;
    resolve?.(performance.now());
  });
  try {
    const deadline = Date.now() + 15_000;
    while (!screen.includes('PID') && Date.now() < deadline) await sleep(50);
    await sleep(2000);
    terminal.write(' ');
    await sleep(500);
    const latencies: number[] = [];
    for (let press = 0; press < presses; press += 1) {
      const frame = new Promise<number>((resolve) => {
        waiting = resolve;
      });
      const sentAt = performance.now();
      terminal.write(press % 20 < 10 ? '\x1b[B' : '\x1b[A');
      const arrived = await Promise.race([frame, sleep(1000).then(() => Number.NaN)]);
      if (!Number.isNaN(arrived)) latencies.push(arrived - sentAt);
      await sleep(30);
    }
    latencies.sort((a, b) => a - b);
    const at = (fraction: number): number => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? Number.NaN;
    return { presses: latencies.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: latencies.at(-1) ?? Number.NaN };
  } finally {
    terminal.write('q');
    await Promise.race([new Promise((resolve) => terminal.onExit(resolve)), sleep(3000)]);
  }
}
