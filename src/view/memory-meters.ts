import { taskCounts } from '../model/dashboard-selectors.js';
import { formatBytes } from '../model/format.js';
import type { MemorySample, ProcessSample } from '../model/types.js';
import { drawBar } from './bar.js';
import type { Theme } from './theme.js';
import { cell } from './text-fit.js';

const percentOf = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);

/** Mem and Swp bars in htop's colours (used, buffers, cache), then the task counts. */
export function memoryLines(
  memory: MemorySample | null,
  processes: readonly ProcessSample[],
  width: number,
  theme: Theme,
): string[] {
  const inner = Math.max(4, width - 5);
  if (!memory) return [`Mem[${' '.repeat(inner)}]`, `Swp[${' '.repeat(inner)}]`, ''];
  const total = memory.totalBytes;
  const mem = drawBar(
    [
      { percent: percentOf(memory.usedBytes, total), role: 'mem-used' },
      { percent: percentOf(memory.buffersBytes, total), role: 'mem-buffers' },
      { percent: percentOf(memory.cachedBytes, total), role: 'mem-cache' },
    ],
    `${formatBytes(memory.usedBytes)}/${formatBytes(total)}`,
    inner,
    theme,
  );
  const swap = drawBar(
    [{ percent: percentOf(memory.swapUsedBytes, memory.swapTotalBytes), role: 'swap' }],
    `${formatBytes(memory.swapUsedBytes)}/${formatBytes(memory.swapTotalBytes)}`,
    inner,
    theme,
  );
  const tasks = taskCounts(processes);
  const counts = `${tasks.processes}, ${tasks.threads} thr; ${tasks.running} running`;
  return [
    `${theme.paint('Mem', 'label')}[${mem}]`,
    `${theme.paint('Swp', 'label')}[${swap}]`,
    `${theme.paint('Tasks', 'label')} ${cell(counts, width - 6)}`,
  ];
}
