import type { Role, Theme } from './theme.js';
import { escapeTags } from './text-fit.js';

export interface BarSegment {
  /** % of the bar's width */
  percent: number;
  role: Role;
}

/**
 * An htop-style bar, `|||||||      45.2%`, exactly `width` characters: coloured segments from the
 * left, the caption written over the right end.
 */
export function drawBar(segments: readonly BarSegment[], caption: string, width: number, theme: Theme): string {
  const chars: string[] = [];
  const roles: (Role | null)[] = [];
  let filled = 0;
  let total = 0;
  for (const segment of segments) {
    total += Math.max(0, segment.percent);
    const end = Math.min(width, Math.round((total / 100) * width));
    for (; filled < end; filled += 1) {
      chars.push('|');
      roles.push(segment.role);
    }
  }
  for (; filled < width; filled += 1) {
    chars.push(' ');
    roles.push(null);
  }
  const text = caption.slice(-width);
  for (let index = 0; index < text.length; index += 1) {
    const at = width - text.length + index;
    chars[at] = text[index] ?? ' ';
    roles[at] = null;
  }
  let out = '';
  let runRole: Role | null = null;
  let run = '';
  const flush = (): void => {
    if (run) out += runRole ? theme.paint(escapeTags(run), runRole) : escapeTags(run);
    run = '';
  };
  chars.forEach((char, index) => {
    const role = roles[index] ?? null;
    if (role !== runRole) {
      flush();
      runRole = role;
    }
    run += char;
  });
  flush();
  return out;
}

const LEVELS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per reading, newest on the right, padded on the left to `width`; idle still shows ▁. */
export function sparkline(values: readonly number[], width: number): string {
  const recent = values.slice(-width);
  const chars = recent.map((value) => LEVELS[Math.max(1, Math.min(8, Math.round((value / 100) * 8)))] ?? ' ');
  return ' '.repeat(Math.max(0, width - chars.length)) + chars.join('');
}

/** Heat cell for the compact many-core view: height shows the load, colour repeats it. */
export function heatCell(value: number | null, theme: Theme): string {
  if (value === null) return '·';
  const char = LEVELS[Math.max(1, Math.min(8, Math.round((value / 100) * 8)))] ?? '▁';
  const role: Role = value >= 80 ? 'system' : value >= 50 ? 'mem-cache' : 'user';
  return theme.paint(char, role);
}
