import stripAnsi from 'strip-ansi';
import type { CommandOutput } from '../model/lab-types.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { Theme } from './theme.js';
import { cell, clipToWidth, escapeTags } from './text-fit.js';

/** A line a program printed, made inert: its colours, cursor moves and control characters dropped. */
export function printableOutput(text: string): string {
  return toPrintable(stripAnsi(text));
}

/**
 * The output pane: a title, then the lines that fit, ending `scrollBack` lines before the last
 * (0 follows new output). stderr lines are coloured as errors.
 */
export function outputLines(
  output: CommandOutput,
  width: number,
  height: number,
  scrollBack: number,
  theme: Theme,
): string[] {
  const room = Math.max(0, height - 1);
  const end = Math.max(0, output.lines.length - scrollBack);
  const shown = output.lines.slice(Math.max(0, end - room), end);
  const state = output.running ? 'running' : 'ended';
  const where = scrollBack > 0 ? `${scrollBack} lines back · End follows` : 'following';
  const dropped = output.total > output.lines.length ? ` (first ${output.total - output.lines.length} dropped)` : '';
  const title =
    `Output of ${toPrintable(output.display)} (${state}) · ${output.total} ` +
    `lines${dropped} · ${where} · ↑↓ PgUp PgDn Home · o/Esc back`;
  const body = shown.map((line) => {
    const text = clipToWidth(printableOutput(line.text), width);
    return line.stream === 'err' ? theme.paint(escapeTags(text), 'error') : escapeTags(text);
  });
  if (output.lines.length === 0) body.push(theme.paint('(nothing printed yet)', 'dim'));
  return [theme.paint(cell(title, width), 'table-header'), ...body];
}
