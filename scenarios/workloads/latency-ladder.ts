import { buildCycle, chase, elementsFor, strideBytesFor } from './pointer-chase.js';
import type { WorkloadSpec } from '../../src/lab/protocol.js';

/** Loads per timed slice: long enough to dwarf the clock's cost, short enough to hear a stop soon. */
const LOADS_PER_SLICE = 1 << 16;
/** Each working set is timed in this many rounds; the fastest counts (noise only ever adds time). */
const ROUNDS = 3;
/** Loads to run before timing, so the set is where it will stay (cache or RAM) and the TLB has seen it. */
const WARM_LOADS = 1 << 20;
const SEED = 0x2545f491;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One working set of its own, built at once (a worker that only chases it can afford to block while it builds). */
export function workingSet(bytes: number, lineBytes: number): { chase(loads: number, from: number): number } {
  const strideBytes = strideBytesFor(lineBytes);
  const memory = new Uint32Array(elementsFor(bytes, strideBytes));
  for (const _slice of buildCycle(memory, bytes, strideBytes, SEED)) {
    // built in one go
  }
  return { chase: (loads, from) => chase(memory, loads, from) };
}

/**
 * Time a pointer chase through each working set of `spec.sizes`, smallest first, and report each in
 * ns per load. One buffer, the largest, is allocated once: smaller sets use its start, so only what
 * is measured is ever touched. Yields to the event loop every slice, so a stop is heard.
 */
export async function timeLatencies(
  spec: WorkloadSpec,
  going: () => boolean,
  report: (bytes: number, nsPerLoad: number) => void,
): Promise<number> {
  const sizes = spec.sizes ?? [];
  const strideBytes = strideBytesFor(spec.lineBytes ?? 64);
  const memory = new Uint32Array(elementsFor(Math.max(0, ...sizes), strideBytes));
  const msPerRound = (spec.msPerSize ?? 300) / ROUNDS;
  let landing = 0;
  for (const bytes of sizes) {
    for (const _slice of buildCycle(memory, bytes, strideBytes, SEED)) {
      await yieldToEventLoop();
      if (!going()) return landing;
    }
    let at = chase(memory, Math.min(WARM_LOADS, 2 * Math.ceil(bytes / strideBytes)), 0);
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round += 1) {
      let loads = 0;
      const started = performance.now();
      let elapsed = 0;
      do {
        at = chase(memory, LOADS_PER_SLICE, at);
        loads += LOADS_PER_SLICE;
        elapsed = performance.now() - started;
      } while (elapsed < msPerRound);
      best = Math.min(best, (elapsed * 1e6) / loads);
      await yieldToEventLoop();
      if (!going()) return landing;
    }
    // Where each chase ended is returned, so the loads cannot be optimised away.
    landing ^= at;
    report(bytes, best);
  }
  return landing;
}
