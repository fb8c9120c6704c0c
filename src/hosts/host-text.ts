import { printableUpTo } from '../model/untrusted-text.js';

/** Longest text kept from a host (a label value, a name): enough for any real one, and a bound on a hostile one. */
export const MAX_HOST_TEXT = 200;

/** Text from another host or about it, made inert: no control characters, no bidi overrides, bounded. */
export function inertText(text: string, max = MAX_HOST_TEXT): string {
  return printableUpTo(text, max);
}
