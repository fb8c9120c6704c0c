import assert from 'node:assert/strict';

/** Equal within floating-point noise (the fixtures' intervals are decimal fractions). */
export function assertClose(actual: number | null | undefined, expected: number, epsilon = 1e-6): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= epsilon,
    `expected ${expected}, got ${actual}`,
  );
}
