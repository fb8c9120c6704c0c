/**
 * Process names and command lines are chosen by whoever started the process. Before they reach a
 * terminal, anything that could move the cursor, change the title, ring the bell or reorder text goes.
 */
// C0 controls, DEL, C1 controls, and the Unicode bidirectional overrides and isolates.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const WHITESPACE_CONTROLS = /[\t\n]/g;

/**
 * Characters beyond U+FFFF (most emoji) take two UTF-16 units, and blessed places them wrongly:
 * the rest of the line, and the next, shift. They show as U+FFFD, as do lone surrogates.
 */
const ASTRAL_OR_LONE_SURROGATE = /[\u{10000}-\u{10FFFF}]|[\uD800-\uDFFF]/gu;

export function toPrintable(text: string): string {
  return text.replace(WHITESPACE_CONTROLS, ' ').replace(UNPRINTABLE, '').replace(ASTRAL_OR_LONE_SURROGATE, '\uFFFD');
}

/** Printable, and at most `max` characters, the last an ellipsis where it was cut: a bound on hostile text. */
export function printableUpTo(text: string, max: number): string {
  const printable = toPrintable(text);
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}
