import { isPlainObject } from '../model/is-plain-object.js';

/**
 * A Python scenario's events are JSON on lines that start with a marker, among its other output:
 * the object after the marker, or null for a line without one, torn JSON, or JSON that is no object.
 */
export function markedRecord(line: string, marker: string): Record<string, unknown> | null {
  const at = line.indexOf(marker);
  if (at < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + marker.length));
  } catch {
    return null;
  }
  return isPlainObject(value) ? value : null;
}
