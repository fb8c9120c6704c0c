import { formatPercent } from '../model/format.js';
import type { CoreUsage } from '../model/types.js';
import { drawBar, heatCell, sparkline } from './bar.js';
import type { CoreGrid } from '../model/core-grid.js';
import type { Theme } from './theme.js';

function busySegments(
  core: CoreUsage | undefined,
): { percent: number; role: 'user' | 'system' | 'steal' | 'iowait' }[] {
  if (!core) return [];
  return [
    { percent: core.user, role: 'user' },
    { percent: core.system, role: 'system' },
    { percent: core.steal, role: 'steal' },
  ];
}

function meterCell(
  id: number,
  core: CoreUsage | undefined,
  history: readonly number[],
  grid: CoreGrid,
  theme: Theme,
): string {
  const label = theme.paint(String(id).padStart(grid.labelWidth - 1), 'label');
  const caption = core ? `${formatPercent(core.total)}%` : '…';
  const withHistory = grid.style === 'full';
  const sparkWidth = withHistory ? Math.max(6, Math.min(40, grid.cellWidth - grid.labelWidth - 3 - 20)) : 0;
  const inner = grid.cellWidth - grid.labelWidth - 2 - (withHistory ? sparkWidth + 1 : 0);
  const bar = `${label} [${drawBar(busySegments(core), caption, inner, theme)}]`;
  return withHistory ? `${bar} ${theme.paint(sparkline(history, sparkWidth), 'user')}` : bar;
}

/**
 * One line per grid row. `cores` is null before the second reading: the bars stay empty rather
 * than show a made-up figure.
 */
export function coreMeterLines(
  coreIds: readonly number[],
  cores: readonly CoreUsage[] | null,
  history: readonly (readonly number[])[],
  grid: CoreGrid,
  theme: Theme,
): string[] {
  const byId = new Map((cores ?? []).map((core) => [core.id, core]));
  const lines: string[] = [];
  if (grid.style === 'heat') {
    for (let row = 0; row < grid.rows; row += 1) {
      const ids = coreIds.slice(row * grid.columns, (row + 1) * grid.columns);
      const label = theme.paint(String(ids[0] ?? 0).padStart(grid.labelWidth - 1), 'label');
      lines.push(`${label} ${ids.map((id) => heatCell(byId.get(id)?.total ?? null, theme)).join('')}`);
    }
    return lines;
  }
  for (let row = 0; row < grid.rows; row += 1) {
    const cells: string[] = [];
    for (let column = 0; column < grid.columns; column += 1) {
      // Column-major, as htop fills its CPU columns: 0..n/2 on the left, the rest on the right.
      const index = column * grid.rows + row;
      const id = coreIds[index];
      if (id === undefined) continue;
      cells.push(meterCell(id, byId.get(id), history[index] ?? [], grid, theme));
    }
    lines.push(cells.join(' '));
  }
  return lines;
}
