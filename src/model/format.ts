/** Fixed-width number formatting for table cells and meters, htop style. Pure. */

const UNITS = ['K', 'M', 'G', 'T', 'P'];

/** Bytes in at most 5 characters: 980K, 9.8M, 512M, 1.2G, 24G. */
export function formatBytes(bytes: number): string {
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value).toString();
  return `${digits}${UNITS[unit]}`;
}

/** A percentage with one decimal below 1000; null (not known yet) shows as a dash. */
export function formatPercent(value: number | null): string {
  if (value === null) return '-';
  return value >= 999.95 ? Math.round(value).toString() : value.toFixed(1);
}

/** A rate such as context switches per second in at most 5 characters: 12, 980, 1.2k, 34k, 1.2M. */
export function formatRate(value: number | null): string {
  if (value === null) return '-';
  if (value < 1000) return Math.round(value).toString();
  if (value < 10_000) return `${(value / 1000).toFixed(1)}k`;
  if (value < 1_000_000) return `${Math.round(value / 1000)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

/** Time since boot to the minute, as uptime(1) gives it: 04:11, or 3d 04:11 past a day. */
export function formatUptime(totalSeconds: number): string {
  const minutes = Math.floor(Math.max(0, totalSeconds) / 60);
  const days = Math.floor(minutes / 1440);
  const clock = `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** Short durations for results: 850 ms, 2.35 s, 1 min 12 s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
