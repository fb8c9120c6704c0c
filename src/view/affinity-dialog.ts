import type { AffinityTarget } from '../model/dashboard-state.js';
import { formatCpuList } from '../model/cpu-list.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { Theme } from './theme.js';
import { cell } from './text-fit.js';

export const AFFINITY_DIALOG_WIDTH = 56;
/** Lines around the list of cores: who, what, a blank; a blank and the keys; the border. */
const FRAME_LINES = 7;

export interface AffinityView {
  target: AffinityTarget;
  cores: readonly number[];
  chosen: readonly number[] | null;
  cursor: number;
}

/** How many cores' rows fit on a screen this tall (a 64-core host scrolls; the cursor stays in view). */
function rowsFor(view: AffinityView, screenRows: number): number {
  return Math.max(1, Math.min(view.cores.length, screenRows - FRAME_LINES - 4));
}

export function affinityDialogHeight(view: AffinityView, screenRows: number): number {
  return (view.chosen === null ? 1 : rowsFor(view, screenRows)) + FRAME_LINES;
}

/** The dialog's inner lines: whose cores, one checkbox per core, how to confirm. */
export function affinityDialogLines(view: AffinityView, screenRows: number, theme: Theme): string[] {
  const inner = AFFINITY_DIALOG_WIDTH - 4;
  const { target, chosen } = view;
  const name = toPrintable(target.name);
  const who =
    target.tid === null
      ? `PID ${target.pid}  ${name}  user ${toPrintable(target.user)}`
      : `thread ${target.tid} of PID ${target.pid}  ${name}`;
  const scope = target.tid === null ? 'every thread of the process' : 'this thread only';
  const lines = [cell(who, inner), theme.paint(cell(`Cores it may run on (${scope}):`, inner), 'dim'), ''];
  if (chosen === null) {
    lines.push(cell('Reading its current cores…', inner));
  } else {
    const rows = rowsFor(view, screenRows);
    const top = Math.max(0, Math.min(view.cursor - rows + 1, view.cores.length - rows));
    for (const [index, core] of view.cores.slice(top, top + rows).entries()) {
      const here = top + index === view.cursor;
      const text = cell(`${here ? '>' : ' '} [${chosen.includes(core) ? 'x' : ' '}] core ${core}`, inner);
      lines.push(here ? theme.paint(text, 'selected') : text);
    }
  }
  const summary = chosen === null ? '' : `  (${chosen.length ? formatCpuList(chosen) : 'none'})`;
  lines.push(theme.paint(cell(`Chosen: ${chosen === null ? '…' : chosen.length}${summary}`, inner), 'dim'));
  lines.push(cell('Space toggle · a all · Enter apply · Esc cancel', inner));
  return lines;
}
