/**
 * The unit of work every workload counts: a fixed integer loop (xorshift). Pure computation, no
 * allocation, so it measures the CPU and nothing else. What it costs, roughly, is in the protocol
 * (APPROX_MS_PER_UNIT), where paratop sizes jobs by it.
 */
export const ITERATIONS_PER_UNIT = 100_000;

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
