import { readFileSync } from 'node:fs';

/**
 * The bench's own reading of /proc, written apart from src/ on purpose: the accuracy and lab
 * figures compare paratop with these, so a bug in paratop's parser or maths cannot hide on both sides.
 */

/** One core's counters (USER_HZ ticks): busy time and all time. */
export interface CoreTicks {
  busy: number;
  total: number;
}

/**
 * Per-core lines of /proc/stat (`cpuN user nice system idle iowait irq softirq steal guest guest_nice`).
 * Busy is everything but idle and iowait. guest and guest_nice are left out: the kernel already
 * counts them inside user and nice.
 */
export function parseCoreTicks(text: string): CoreTicks[] {
  const cores: CoreTicks[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+) +(.*)$/.exec(line);
    if (!match) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (match[2] ?? '')
      .trim()
      .split(/ +/)
      .map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    cores[Number(match[1])] = { busy: total - idle - iowait, total };
  }
  return cores;
}

/** Busy % of a core between two readings; null when no tick passed. */
export function busyPercent(before: CoreTicks, after: CoreTicks): number | null {
  const total = after.total - before.total;
  return total > 0 ? (100 * (after.busy - before.busy)) / total : null;
}

export function readCoreTicks(): CoreTicks[] {
  return parseCoreTicks(readFileSync('/proc/stat', 'utf8'));
}

/** utime + stime of a process (all its threads), in ticks, from /proc/<pid>/stat; null when gone. */
export function parsePidTicks(text: string): number | null {
  // The name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && fields.length > 12 ? utime + stime : null;
}

export function readPidTicks(pid: number): number | null {
  try {
    return parsePidTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux build that matters; /proc counts CPU time in these ticks. */
export const TICKS_PER_SECOND = 100;
