import type { ProcessLink } from '../sampler/process-tree-scanner.js';

/**
 * The processes of a command now, from every process's links: those already followed (the same
 * PID with the same start token, so a reused PID is not mistaken for one), any process in the
 * command's session, and all their descendants. A process stays followed when its parent dies and
 * it is re-parented; one that calls setsid() and is re-parented before it is first seen is lost.
 * Pure.
 */
export function followTree(
  links: readonly ProcessLink[],
  followed: ReadonlyMap<number, string>,
  sessionId: number,
): ProcessLink[] {
  const children = new Map<number, ProcessLink[]>();
  const members = new Set<number>();
  for (const link of links) {
    const siblings = children.get(link.ppid);
    if (siblings) siblings.push(link);
    else children.set(link.ppid, [link]);
    if (followed.get(link.pid) === link.startToken || link.sid === sessionId) members.add(link.pid);
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
