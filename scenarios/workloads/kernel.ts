/**
 * The unit of work every workload counts: a fixed integer loop (xorshift). Pure computation, no
 * allocation, so it measures the CPU and nothing else.
 */
export const ITERATIONS_PER_UNIT = 100_000;

/**
 * What one unit costs one core, roughly: 0.14 ms on the 2-core test machine (2000 units timed after
 * warming up, Node 20). For sizing work by time only; results always time the work itself.
 */
export const APPROX_MS_PER_UNIT = 0.14;

let sink = 0x9e3779b9;

export function workUnit(seed: number): number {
  let x = seed | 0 || 1;
  for (let index = 0; index < ITERATIONS_PER_UNIT; index += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  // Keep the result observable so the loop cannot be optimised away.
  sink ^= x;
  return x;
}

export function checksum(): number {
  return sink;
}
