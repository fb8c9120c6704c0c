import type { ProcessLink } from './process-links.js';

/**
 * The processes of a command now, from every process's links: those already followed (the same
 * PID with the same start time, so a reused PID is not mistaken for one), any process in the
 * command's session, and all their descendants. A process stays followed when its parent dies and
 * it is re-parented; one that calls setsid() and is re-parented before it is first seen is lost.
 * Pure.
 */
export function followTree(links: readonly ProcessLink[], followed: ReadonlyMap<number, number>, sessionId: number): ProcessLink[] {
  const children = new Map<number, ProcessLink[]>();
  const members = new Set<number>();
  for (const link of links) {
    const siblings = children.get(link.ppid);
    if (siblings) siblings.push(link);
    else children.set(link.ppid, [link]);
    if (followed.get(link.pid) === link.startTicks || link.sid === sessionId) members.add(link.pid);
  }
  const queue = [...members];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    for (const child of children.get(pid) ?? []) {
      if (members.has(child.pid)) continue;
      members.add(child.pid);
      queue.push(child.pid);
    }
  }
  return links.filter((link) => members.has(link.pid));
}

/**
 * paratop to the command keeper: every process of the command paratop follows now, as
 * [pid, start time in clock ticks], sent whenever that set changes. If paratop dies, the keeper
 * ends these too (each checked to have the same start time), so a process that left the command's
 * session (setsid) and was re-parented still ends with paratop, if paratop had seen it.
 */
export interface FollowedMessage {
  type: 'followed';
  processes: [number, number][];
}

export function isFollowedMessage(message: unknown): message is FollowedMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, processes } = message as { type?: unknown; processes?: unknown };
  return type === 'followed' && Array.isArray(processes) && processes.every((entry) => Array.isArray(entry) && entry.length === 2 && entry.every(Number.isInteger));
}
