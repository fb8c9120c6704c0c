import type { ProcessRecord } from './records.js';

/** RFC 4180 field: quoted when it holds a comma, quote or line break (command lines do). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export const PROCESS_CSV_HEADER = [
  'taken_at', 'pid', 'ppid', 'user', 'state', 'cpu', 'mem_percent', 'rss', 'threads', 'ctx_per_second', 'name', 'command',
] as const;

export function processCsvRow(takenAt: string, process: ProcessRecord): string {
  return csvLine([
    takenAt, process.pid, process.ppid, process.user, process.state, process.cpu, process.memPercent,
    process.rss, process.threads, process.ctxPerSecond, process.name, process.command,
  ]);
}
