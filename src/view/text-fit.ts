import { blessedEscape, unicode } from './blessed-parts.js';

/** Most text on screen is printable ASCII, one column per character: skip the width tables. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Columns one character takes; the common cases answered here, the rest by blessed's tables. */
function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (code < 0x1100) return 1;
  return unicode.charWidth(char, 0);
}

export function displayWidth(text: string): number {
  if (PLAIN_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The longest prefix of `text` that fits in `width` columns. */
export function clipToWidth(text: string, width: number): string {
  if (PLAIN_ASCII.test(text)) return text.slice(0, Math.max(0, width));
  let used = 0;
  let clipped = '';
  for (const char of text) {
    const columns = charWidth(char);
    if (used + columns > width) break;
    used += columns;
    clipped += char;
  }
  return clipped;
}

/** Clip and pad to exactly `width` columns. */
export function fitToWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const clipped = clipToWidth(text, width);
  const padding = ' '.repeat(Math.max(0, width - displayWidth(clipped)));
  return align === 'right' ? padding + clipped : clipped + padding;
}

/** Make text inert for blessed's tag parser ({red-fg} shows as typed). Always the last step. */
export function escapeTags(text: string): string {
  return blessedEscape(text);
}

/** What blessed draws of tagged text: style tags dropped, escaped braces back to braces. Pure. */
export function untagged(text: string): string {
  return text.replace(/\{(\/?[\w\-,;!#]*)\}/g, (_tag, name: string) =>
    name === 'open' ? '{' : name === 'close' ? '}' : '',
  );
}

/** Clip, pad and escape: plain text in, a safe fixed-width cell out. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return escapeTags(fitToWidth(text, width, align));
}

/** Greedy word wrap by display width; a word longer than the line is cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = displayWidth(word) <= width ? word : clipToWidth(word, width);
  }
  if (line) lines.push(line);
  return lines;
}
