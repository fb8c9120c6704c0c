import { formatBytes, formatPercent } from '../model/format.js';
import type { GpuSample } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';
import { drawBar, sparkline } from './bar.js';
import { cell } from './text-fit.js';
import type { Theme } from './theme.js';

/** What a GPU's source gives beyond its busy share, in a few words: memory, temperature, power, clocks. */
function details(gpu: GpuSample): string {
  const parts: string[] = [];
  if (gpu.memoryUsedBytes !== null && gpu.memoryTotalBytes !== null)
    parts.push(`${formatBytes(gpu.memoryUsedBytes)}/${formatBytes(gpu.memoryTotalBytes)}`);
  else if (gpu.memoryUsedBytes !== null) parts.push(formatBytes(gpu.memoryUsedBytes));
  if (gpu.temperatureC !== null) parts.push(`${Math.round(gpu.temperatureC)}°C`);
  if (gpu.powerWatts !== null) parts.push(`${Math.round(gpu.powerWatts)}W`);
  if (gpu.smClockMHz !== null) parts.push(`${gpu.smClockMHz}MHz`);
  parts.push(toPrintable(gpu.name));
  return parts.join(' ');
}

function meterLine(gpu: GpuSample, number: number, history: readonly number[], width: number, theme: Theme): string {
  const label = theme.paint(`GPU${number}`.padEnd(4), 'label');
  if (gpu.lost) {
    const text = `lost: fell off the bus, reboot to recover · ${toPrintable(gpu.name)}`;
    return `${label} ${theme.paint(cell(text, Math.max(0, width - 5)), 'error')}`;
  }
  const inner = width >= 100 ? 24 : 16;
  const sparkWidth = width >= 100 ? 16 : 0;
  const caption = gpu.utilPercent === null ? 'n/a' : `${formatPercent(gpu.utilPercent)}%`;
  const bar = `${label}[${drawBar([{ percent: gpu.utilPercent ?? 0, role: 'user' }], caption, inner, theme)}]`;
  const spark = sparkWidth > 0 ? ` ${theme.paint(sparkline(history, sparkWidth), 'user')}` : '';
  const used = 4 + inner + 2 + (sparkWidth > 0 ? sparkWidth + 1 : 0) + 1;
  return `${bar}${spark} ${cell(details(gpu), Math.max(0, width - used))}`;
}

/**
 * A meter per GPU, as the core meters: busy share with a short history, then memory, temperature,
 * power, clock and name where the source gives them. More GPUs than lines: the last line lists the rest.
 */
export function gpuMeterLines(
  gpus: readonly GpuSample[],
  history: readonly (readonly number[])[],
  width: number,
  height: number,
  theme: Theme,
): string[] {
  // Each source numbers its own GPUs; two sources (an iGPU and a card) would both have a GPU0.
  const ownNumbers = new Set(gpus.map((gpu) => gpu.index)).size === gpus.length;
  const number = (gpu: GpuSample, place: number): number => (ownNumbers ? gpu.index : place);
  const line = (gpu: GpuSample, place: number): string =>
    meterLine(gpu, number(gpu, place), history[place] ?? [], width, theme);
  if (gpus.length <= height) return gpus.map(line);
  const shown = gpus.slice(0, Math.max(0, height - 1));
  const rest = gpus.slice(shown.length);
  const summary = rest
    .map(
      (gpu, offset) =>
        `${number(gpu, shown.length + offset)}:` +
        `${gpu.lost ? 'lost' : gpu.utilPercent === null ? 'n/a' : `${Math.round(gpu.utilPercent)}%`}`,
    )
    .join(' ');
  return [
    ...shown.map(line),
    `${theme.paint(`+${rest.length}`.padEnd(4), 'label')} ${cell(`more GPUs: ${summary}`, Math.max(0, width - 5))}`,
  ];
}
