import type { Column } from './columns.js';
import { formatBytes, formatPercent, formatRate } from './format.js';
import type { ProcessSample } from './types.js';
import { toPrintable } from './untrusted-text.js';

/** One table cell's text, with untrusted parts made printable. Shared by the dashboard and `snapshot`. */
export function cellText(column: Column, process: ProcessSample): string {
  switch (column.key) {
    case 'pid':
      return String(process.pid);
    case 'user':
      return toPrintable(process.user);
    case 'cpu':
      return formatPercent(process.cpu);
    case 'mem':
      return process.memPercent.toFixed(1);
    case 'rss':
      return formatBytes(process.rssBytes);
    case 'threads':
      return process.threads === null ? '-' : String(process.threads);
    case 'state':
      return process.state;
    case 'core':
      return process.lastCpu === null ? '-' : String(process.lastCpu);
    case 'wait':
      return formatPercent(process.waitPercent);
    case 'ctxsw':
      return formatRate(process.ctxPerSecond);
    case 'gpu':
      return formatPercent(process.gpuPercent);
    case 'gmem':
      return process.gpuMemoryBytes === null ? '-' : formatBytes(process.gpuMemoryBytes);
    case 'command':
      return toPrintable(process.command);
  }
}
