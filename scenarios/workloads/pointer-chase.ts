/**
 * Dependent loads through a working set: each load's address is the value of the one before, so the
 * CPU cannot start the next before the last has arrived, and the order is random, so no prefetcher
 * can guess it. The time per load is then the latency of wherever the working set lives: L1, L2, L3
 * or RAM.
 *
 * The random order is a random cycle of 4 KiB pages, and within each page a random order of its
 * pointers. Fully random order would also miss the TLB on nearly every load once the set outgrows
 * its reach (a few MB), adding a page walk (dearer still in a VM) and a step that is not a cache's.
 * Pointers are two cache lines apart, so the adjacent-line prefetcher (which fetches a line's pair)
 * brings nothing the chase uses.
 */

/** Pointers are grouped by page: one TLB miss per page, not per load. */
const GROUP_BYTES = 4096;

/** Bytes between pointers: two cache lines. */
export function strideBytesFor(lineBytes: number): number {
  return 2 * Math.max(16, lineBytes);
}

/** Elements of a Uint32Array needed for a working set of `bytes`. */
export function elementsFor(bytes: number, strideBytes: number): number {
  return pointersIn(bytes, strideBytes) * (strideBytes / Uint32Array.BYTES_PER_ELEMENT);
}

function pointersIn(bytes: number, strideBytes: number): number {
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

/** Fisher-Yates on the first `count` elements. */
function shuffle(values: Uint32Array, count: number, random: { value: number }): void {
  for (let last = count - 1; last > 0; last -= 1) {
    const pick = nextRandom(random) % (last + 1);
    const kept = values[last]!;
    values[last] = values[pick]!;
    values[pick] = kept;
  }
}

/**
 * Build, in slices, one cycle through every pointer of the first `bytes` of `memory`: pages in a
 * random order, each page's pointers in a random order, each pointer holding the index of the next.
 * Yields after every slice of pages, so the caller's process can still hear paratop (a stop, or its
 * parent gone) while gigabytes are built. Writes stay within a page at a time, so building is cheap.
 */
export function* buildCycle(
  memory: Uint32Array,
  bytes: number,
  strideBytes: number,
  seed: number,
  slice = 1 << 14,
): Generator<void> {
  const stride = strideBytes / Uint32Array.BYTES_PER_ELEMENT;
  const pointers = pointersIn(bytes, strideBytes);
  const perGroup = Math.max(1, Math.floor(GROUP_BYTES / strideBytes));
  const groups = Math.ceil(pointers / perGroup);
  const random = { value: seed >>> 0 || 1 };
  const groupOrder = new Uint32Array(groups);
  for (let group = 0; group < groups; group += 1) groupOrder[group] = group;
  shuffle(groupOrder, groups, random);
  const slots = new Uint32Array(perGroup);
  let first = -1;
  let previous = -1;
  for (let at = 0; at < groups; at += 1) {
    const group = groupOrder[at]!;
    const count = Math.min(perGroup, pointers - group * perGroup);
    for (let slot = 0; slot < count; slot += 1) slots[slot] = slot;
    shuffle(slots, count, random);
    for (let slot = 0; slot < count; slot += 1) {
      const pointer = group * perGroup + slots[slot]!;
      if (previous === -1) first = pointer;
      else memory[previous * stride] = pointer * stride;
      previous = pointer;
    }
    if (at % slice === slice - 1) yield;
  }
  memory[previous * stride] = first * stride;
}

/** Follow the pointers `loads` times from `start`; returns where it ended, to start the next chase there. */
export function chase(memory: Uint32Array, loads: number, start: number): number {
  let at = start;
  // A non-null assertion, not `?? 0`: nothing but the load may sit on the path being timed.
  for (let step = 0; step < loads; step += 1) at = memory[at]!;
  return at;
}
