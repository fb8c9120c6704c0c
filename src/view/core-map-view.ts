import { CORE_MAP_SLICE_MS, type CoreMap, coreMapReading } from '../model/core-map.js';
import { formatPercent } from '../model/format.js';
import type { CoreUsage } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';
import { cell, escapeTags, fitToWidth, wrapText } from './text-fit.js';
import type { Theme } from './theme.js';

export function coreMapHeaderLine(map: CoreMap, fromLab: boolean, width: number, theme: Theme): string {
  const cellTime = fromLab ? `a cell is ${CORE_MAP_SLICE_MS / 1000} s` : 'a cell is one process scan';
  const text = `CORE MAP · who ran where, newest on the right · ${cellTime} · g or Esc closes`;
  return theme.paint(cell(map.cores.length > 0 ? text : 'CORE MAP', width), 'table-header');
}

/** A row per core (its strip of tasks, busy share, tasks waiting for it), the legend, and what it shows. */
export function coreMapLines(
  map: CoreMap,
  cores: readonly CoreUsage[] | null,
  width: number,
  height: number,
  theme: Theme,
): string[] {
  const busy = new Map((cores ?? []).map((core) => [core.id, core.total]));
  const labelWidth = String(Math.max(0, ...map.cores)).length + 1;
  const figures = 26;
  const stripWidth = Math.max(4, width - labelWidth - figures - 3);
  const lines: string[] = [];
  for (const core of map.cores.slice(0, Math.max(1, height - 3))) {
    const row = (map.rows.get(core) ?? []).slice(-stripWidth);
    const marks = row.map((index) => (index === null ? '·' : (map.legend[index]?.mark ?? '+')));
    const strip = escapeTags(`${' '.repeat(stripWidth - marks.length)}${marks.join('')}`);
    const waiting = map.waiting.get(core) ?? 0;
    const figuresText = `${formatPercent(busy.get(core) ?? null).padStart(5)}% busy, ${waiting} waiting`;
    lines.push(`${theme.paint(String(core).padStart(labelWidth), 'label')} │${strip}│ ${escapeTags(figuresText)}`);
  }
  const legend = map.legend.map((entry) => `${entry.mark} ${toPrintable(entry.label)}`).join(' · ');
  const reading = coreMapReading(map);
  const room = Math.max(0, height - lines.length);
  const tail = [
    ...(legend ? wrapText(legend, width) : ['Nothing running yet: start an experiment (1-9), or wait for a scan.']),
    ...(reading ? wrapText(reading, width) : []),
  ];
  for (const line of tail.slice(0, room)) lines.push(escapeTags(fitToWidth(line, width)));
  return lines;
}
