import type { KillTarget } from '../model/dashboard-state.js';
import { KILL_SIGNALS } from '../model/signals.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { Theme } from './theme.js';
import { cell } from './text-fit.js';

export const KILL_DIALOG_WIDTH = 56;
export const KILL_DIALOG_HEIGHT = KILL_SIGNALS.length + 7;

/** The dialog's inner lines: who will be signalled, the choice of signal, how to confirm. */
export function killDialogLines(target: KillTarget, signalIndex: number, theme: Theme): string[] {
  const inner = KILL_DIALOG_WIDTH - 4;
  const lines = [
    cell(`PID ${target.pid}  ${toPrintable(target.name)}  user ${toPrintable(target.user)}`, inner),
    theme.paint(cell(toPrintable(target.command), inner), 'dim'),
    '',
  ];
  KILL_SIGNALS.forEach((signal, index) => {
    const text = cell(`${index === signalIndex ? '>' : ' '} ${signal.name.padEnd(8)} ${signal.meaning}`, inner);
    lines.push(index === signalIndex ? theme.paint(text, 'selected') : text);
  });
  lines.push('', cell('Enter send · Esc cancel · ↑↓ choose', inner));
  return lines;
}
