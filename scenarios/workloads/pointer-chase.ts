/**
 * Dependent loads through a working set: each load's address is the value of the one before, so the
 * CPU cannot start the next before the last has arrived, and the order is a random cycle, so the
 * prefetcher cannot guess it. The time per load is then the latency of wherever the working set
 * lives: L1, L2, L3 or RAM.
 */

/** Elements between pointers: one pointer per cache line, so every load is a line of its own. */
export function strideOf(strideBytes: number): number {
  return Math.max(1, Math.floor(strideBytes / Uint32Array.BYTES_PER_ELEMENT));
}

/** Lines of `strideBytes` in a working set of `bytes` (at least 2, so the cycle has somewhere to go). */
export function linesOf(bytes: number, strideBytes: number): number {
  return Math.max(2, Math.floor(bytes / strideBytes));
}

/** A small, fast PRNG (xorshift32): the same seed gives the same cycle, so runs compare. */
function nextRandom(state: { value: number }): number {
  let x = state.value;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  state.value = x >>> 0;
  return state.value;
}

/**
 * Build, in slices, a random cycle through the first `lines` lines of `memory`: each line's pointer
 * starts at itself, and Sattolo's shuffle of the pointers leaves one cycle through all of them (a
 * line's pointer is where the cycle goes next). Yields after every slice, so the caller's process can
 * still hear paratop (a stop, or its parent gone) while gigabytes are built.
 */
export function* buildCycle(memory: Uint32Array, lines: number, stride: number, seed: number, slice = 1 << 20): Generator<void> {
  for (let line = 0; line < lines; line += 1) {
    memory[line * stride] = line * stride;
    if (line % slice === slice - 1) yield;
  }
  const random = { value: seed >>> 0 || 1 };
  for (let last = lines - 1; last > 0; last -= 1) {
    const pick = (nextRandom(random) % last) * stride;
    const at = last * stride;
    const kept = memory[at]!;
    memory[at] = memory[pick]!;
    memory[pick] = kept;
    if (last % slice === 0) yield;
  }
}

/** Follow the pointers `loads` times from `start`; returns where it ended, to start the next chase there. */
export function chase(memory: Uint32Array, loads: number, start: number): number {
  let at = start;
  // A non-null assertion, not `?? 0`: nothing but the load may sit on the path being timed.
  for (let step = 0; step < loads; step += 1) at = memory[at]!;
  return at;
}
