import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { formatCpuList } from '../../model/cpu-list.js';
import type { AffinityFailure, AffinityOutcome, AffinityReading, CpuAffinity } from '../cpu-affinity.js';
import { allowedCpusOf } from './parse-cpu-limits.js';

/** Long enough for taskset to walk every thread of a big process; it never waits on anything. */
const TASKSET_TIMEOUT_MS = 5000;

/** What taskset's complaint (its stderr: "failed to set pid N's affinity: <strerror>") means. Pure. */
export function tasksetFailure(stderr: string): AffinityFailure {
  if (/not permitted|permission denied/i.test(stderr)) return 'not-permitted';
  if (/no such process/i.test(stderr)) return 'gone';
  if (/invalid argument|failed to parse/i.test(stderr)) return 'invalid';
  return 'other';
}

/** The arguments for taskset: -a for every thread of a process, -p to act on an existing task, -c for a list. */
export function tasksetArgs(pid: number, cores: readonly number[], allThreads: boolean): string[] {
  return [...(allThreads ? ['-a'] : []), '-p', '-c', formatCpuList(cores), String(pid)];
}

/**
 * Linux: the affinity is read from Cpus_allowed_list and set with util-linux's taskset, since Node
 * has no binding for sched_setaffinity(2) and paratop builds no native code.
 */
export class TasksetAffinity implements CpuAffinity {
  constructor(
    private readonly proc = '/proc',
    private readonly taskset = 'taskset',
  ) {}

  async read(pid: number, tid?: number): Promise<AffinityReading> {
    const path = tid === undefined ? `${this.proc}/${pid}/status` : `${this.proc}/${pid}/task/${tid}/status`;
    const who = tid === undefined ? `PID ${pid}` : `thread ${tid} of PID ${pid}`;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return { ok: false, reason: `${who} has exited.` };
    }
    const cores = allowedCpusOf(text);
    return cores ? { ok: true, cores } : { ok: false, reason: `This kernel does not say which cores ${who} may use.` };
  }

  set(pid: number, cores: readonly number[], allThreads: boolean): Promise<AffinityOutcome> {
    return new Promise((resolve) => {
      execFile(
        this.taskset,
        tasksetArgs(pid, cores, allThreads),
        { timeout: TASKSET_TIMEOUT_MS },
        (error, _stdout, stderr) => {
          if (!error) return resolve({ ok: true });
          const text = String(stderr).trim() || error.message;
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') return resolve({ ok: false, failure: 'no-tool', detail: text });
          resolve({ ok: false, failure: tasksetFailure(text), detail: text.split('\n')[0] ?? text });
        },
      );
    });
  }
}
