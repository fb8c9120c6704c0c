/** Fixed-length histories of numbers, newest last. Immutable: every update returns a new array. */

export function appendCapped(history: readonly number[], value: number, capacity: number): number[] {
  const start = Math.max(0, history.length + 1 - capacity);
  const next = history.slice(start);
  next.push(value);
  return next;
}

/** Append one reading per series; series that did not exist yet start empty. */
export function appendEach(
  histories: readonly (readonly number[])[],
  values: readonly number[],
  capacity: number,
): number[][] {
  return values.map((value, index) => appendCapped(histories[index] ?? [], value, capacity));
}
