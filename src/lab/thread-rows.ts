import { cpuPercent } from '../model/cpu-load.js';
import type { WorkerState } from '../model/lab-types.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { ThreadTime } from '../sampler/process-tree-scanner.js';

/** A thread as read, or a process standing for its threads where they cannot be seen (tid null). */
type ThreadReading = Omit<ThreadTime, 'tid' | 'cpuSeconds'> & { tid: number | null; cpuSeconds: number | null };

/**
 * The threads of the processes a command runs, as rows of the lab's table: each keeps its row
 * number for the whole run, and its CPU use is taken between two readings of its CPU time.
 */
export class ThreadRows {
  private readonly rowOf = new Map<string, number>();
  private readonly lastCpu = new Map<string, number>();

  rows(pid: number, threads: readonly ThreadReading[], elapsedSeconds: number): WorkerState[] {
    return threads.map((thread) => {
      const key = `${pid}/${thread.tid ?? ''}`;
      let index = this.rowOf.get(key);
      if (index === undefined) {
        index = this.rowOf.size + 1;
        this.rowOf.set(key, index);
      }
      const before = this.lastCpu.get(key);
      if (thread.cpuSeconds !== null) this.lastCpu.set(key, thread.cpuSeconds);
      const cpu =
        before !== undefined && thread.cpuSeconds !== null
          ? cpuPercent(before, thread.cpuSeconds, elapsedSeconds)
          : null;
      return {
        index,
        pid,
        tid: thread.tid,
        name: toPrintable(thread.name),
        units: 0,
        cpuSeconds: thread.cpuSeconds,
        cpu,
        exit: null,
      };
    });
  }
}
