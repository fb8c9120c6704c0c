import { readFileSync, readdirSync } from 'node:fs';

/** CPU seconds (user + system) of a whole process, read straight from /proc; null once it has gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Cores used by a set of processes over `seconds`, measured independently of paratop:
 * CPU time from /proc before and after, divided by the wall time between.
 */
export async function coresUsedBy(pids: readonly number[], seconds: number): Promise<number> {
  const total = (): number => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  const before = total();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return (total() - before) / ((performance.now() - started) / 1000);
}

/** The PIDs whose parent is `ppid`, from /proc. */
export function childrenOf(ppid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid) children.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return children;
}

export function threadName(pid: number, tid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Wait until none of `pids` is alive (zombies count as gone); false on timeout. */
export async function allGone(
  pids: readonly number[],
  timeoutMs = 5000,
  alive: (pid: number) => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pids.some(alive)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !pids.some(alive);
}
