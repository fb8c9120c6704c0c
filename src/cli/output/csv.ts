import type { ProcessRecord } from '../../model/sample-record.js';

/**
 * Control characters other than tab and line breaks, which a process name may hold to attack the
 * terminal a CSV is read on (escape sequences, BEL). CSV has no escape for them, so they are written
 * as visible \xHH text, as `ps` and `ls -b` would show them. JSON escapes them itself.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function visibleControls(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break (command lines do). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : visibleControls(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export const PROCESS_CSV_HEADER = [
  'taken_at',
  'pid',
  'ppid',
  'user',
  'state',
  'cpu',
  'mem_percent',
  'rss',
  'threads',
  'ctx_per_second',
  'ctx_voluntary_per_second',
  'ctx_involuntary_per_second',
  'last_cpu',
  'wait_percent',
  'gpu_percent',
  'gpu_memory_bytes',
  'name',
  'command',
] as const;

export function processCsvRow(takenAt: string, process: ProcessRecord): string {
  return csvLine([
    takenAt,
    process.pid,
    process.ppid,
    process.user,
    process.state,
    process.cpu,
    process.memPercent,
    process.rss,
    process.threads,
    process.ctxPerSecond,
    process.ctxVoluntaryPerSecond,
    process.ctxInvoluntaryPerSecond,
    process.lastCpu,
    process.waitPercent,
    process.gpuPercent,
    process.gpuMemoryBytes,
    process.name,
    process.command,
  ]);
}
