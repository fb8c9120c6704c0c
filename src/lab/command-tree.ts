import { toPrintable } from '../model/untrusted-text.js';
import type { ProcessLink } from '../sampler/process-tree-scanner.js';

/** A process of the command, as last seen (fields named as in ProcessSample and ProcessLink). */
export interface CommandProcess extends Pick<ProcessLink, 'pid' | 'ppid' | 'name' | 'cpuSeconds'> {
  peakThreads: number;
  /** Seconds after the command started when it was first and last seen. */
  firstSeen: number;
  lastSeen: number;
  ended: boolean;
}

/**
 * The processes of a command as followed over its run: who is alive, everyone ever seen, the
 * peaks, and the CPU time of those that have gone. Fed what each look at the process table found;
 * pure.
 */
export class CommandTree {
  /** The command's own PID (0 before it has started). */
  rootPid = 0;
  peakProcesses = 0;
  peakThreads = 0;
  private readonly alive = new Map<number, ProcessLink>();
  private readonly seen = new Map<number, CommandProcess>();
  /** CPU of processes that ended outside the tree's reach (reaped by init): their last reading. */
  private departedCpu = 0;
  private rootLastCpu = 0;

  /** The processes alive at the last look. */
  live(): ReadonlyMap<number, ProcessLink> {
    return this.alive;
  }

  /** PID -> start token of those followed now, to be found again at the next look. */
  followed(): Map<number, string> {
    return new Map([...this.alive].map(([pid, link]) => [pid, link.startToken]));
  }

  /** Take the members found now, `since` seconds after the start; true when a process came or went. */
  update(members: readonly ProcessLink[], since: number): boolean {
    const current = new Map(members.map((link) => [link.pid, link]));
    const before = new Set(this.alive.keys());
    let changed = false;
    for (const [pid, link] of this.alive) {
      if (current.has(pid)) continue;
      // A child of a followed process is reaped by it: its time goes into the parent's reaped
      // time (and so, up the chain, into the command's final figure). Only orphans' time is lost.
      if (pid !== this.rootPid && !before.has(link.ppid)) this.departedCpu += totalCpu(link);
      if (pid === this.rootPid) this.rootLastCpu = totalCpu(link);
      this.alive.delete(pid);
      const entry = this.seen.get(pid);
      if (entry) entry.ended = true;
      changed = true;
    }
    for (const link of members) {
      if (!this.alive.has(link.pid)) changed = true;
      this.alive.set(link.pid, link);
      const entry = this.seen.get(link.pid);
      this.seen.set(link.pid, {
        pid: link.pid,
        ppid: link.ppid,
        name: toPrintable(link.name),
        cpuSeconds: link.cpuSeconds,
        peakThreads: Math.max(entry?.peakThreads ?? 0, link.threads),
        firstSeen: entry?.firstSeen ?? since,
        lastSeen: since,
        ended: false,
      });
    }
    this.peakProcesses = Math.max(this.peakProcesses, members.length);
    this.peakThreads = Math.max(
      this.peakThreads,
      members.reduce((sum, link) => sum + link.threads, 0),
    );
    return changed;
  }

  /**
   * The CPU time of the command and everything it started, ended processes included. `rootFinal`:
   * the command's own and its reaped descendants', as its parent heard when it ended (null before).
   */
  cpuSeconds(rootFinal: number | null): number {
    let total = this.departedCpu;
    for (const link of this.alive.values()) total += totalCpu(link);
    if (!this.alive.has(this.rootPid)) total += rootFinal ?? this.rootLastCpu;
    return total;
  }

  /** Every process seen, in the order they appeared. */
  processes(): CommandProcess[] {
    return [...this.seen.values()].sort((a, b) => a.firstSeen - b.firstSeen || a.pid - b.pid);
  }

  /** A command that ended before the first look is still listed, with what its parent knows. */
  rememberUnseenRoot(entry: Omit<CommandProcess, 'pid' | 'peakThreads' | 'firstSeen' | 'ended'>): void {
    if (this.rootPid <= 0 || this.seen.has(this.rootPid)) return;
    this.seen.set(this.rootPid, { ...entry, pid: this.rootPid, peakThreads: 1, firstSeen: 0, ended: true });
    this.peakProcesses = Math.max(this.peakProcesses, 1);
    this.peakThreads = Math.max(this.peakThreads, 1);
  }
}

function totalCpu(link: ProcessLink): number {
  return (link.cpuSeconds ?? 0) + (link.reapedCpuSeconds ?? 0);
}
