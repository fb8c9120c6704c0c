/**
 * Estimating pi by throwing random points at a square: the share that lands inside the quarter
 * circle is pi/4. Each worker gets its own number of throws (its argument) and returns its hits;
 * the results add up. A textbook "embarrassingly parallel" job.
 */
export const THROWS_PER_UNIT = 50_000;

/** Hits inside the quarter circle among `throws` points, from a seeded xorshift generator. */
export function throwPoints(throws: number, seed: number): number {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  let hits = 0;
  for (let index = 0; index < throws; index += 1) {
    const x = next();
    const y = next();
    if (x * x + y * y <= 1) hits += 1;
  }
  return hits;
}

/**
 * How many units one core of this process gets through in `seconds`, timed here: the workers are
 * in this process and run the same code, so the estimate holds for them.
 */
export function unitsForSeconds(seconds: number): number {
  // A first pass lets the compiler settle before the one that is timed.
  for (let unit = 0; unit < 20; unit += 1) throwPoints(THROWS_PER_UNIT, unit);
  const started = performance.now();
  let units = 0;
  while (performance.now() - started < 60) {
    throwPoints(THROWS_PER_UNIT, units);
    units += 1;
  }
  const perSecond = units / ((performance.now() - started) / 1000);
  return Math.max(1, Math.round(perSecond * seconds));
}
