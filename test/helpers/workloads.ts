import { readFileSync, readdirSync } from 'node:fs';

/**
 * How a lab workload shows in /proc: node workloads name themselves "paratop-lab: ..." (before
 * that, their command line names the workload script), Python ones run paratop_lab.py. paratop's
 * short-lived helpers (the python3 version check, the machine-facts reader) match none of these.
 */
export const WORKLOAD_MARKER =
  /paratop-lab|scenarios\/workloads\/(thread-host|process-worker)\.js|paratop_lab\.py|paratop_grid\.py/;

/** A process's command line, words joined by spaces; '' once it has gone. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Parent of every live process, read once. */
function parents(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const siblings = children.get(ppid);
      if (siblings) siblings.push(Number(name));
      else children.set(ppid, [Number(name)]);
    } catch {
      // gone while we looked
    }
  }
  return children;
}

/** Every process under `pid`, however deep. */
export function descendantsOf(pid: number): number[] {
  const children = parents();
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The lab's workload processes under paratop (by their command line) and everything they started. */
export function workloadsOf(paratopPid: number): number[] {
  const children = parents();
  const found = new Set<number>();
  const queue = (children.get(paratopPid) ?? []).filter((pid) => WORKLOAD_MARKER.test(commandLineOf(pid)));
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    found.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return [...found];
}

/** Wait until paratop has at least `count` workload processes; their PIDs. */
export async function waitForWorkloads(
  paratopPid: number,
  count: number,
  timeoutMs = 10_000,
  pollMs = 50,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = workloadsOf(paratopPid);
    if (pids.length >= count) return pids;
    if (Date.now() > deadline)
      throw new Error(
        `paratop has ${pids.length} workload processes, expected ${count}: ${pids.map(commandLineOf).join(' | ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Worker PIDs as the lab panel prints them ("PID 1234 proc-worker-1 ..."). */
export function panelPids(screen: string, prefix: string): number[] {
  return [...screen.matchAll(new RegExp(`PID (\\d+) ${prefix}-\\d+\\b`, 'g'))].map((match) => Number(match[1]));
}
