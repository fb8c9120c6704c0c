import { NoCpuAffinity } from './fallback/no-cpu-affinity.js';
import { TasksetAffinity } from './linux/taskset-affinity.js';

/** Cores a task may run on, or why they cannot be read. */
export type AffinityReading = { ok: true; cores: number[] } | { ok: false; reason: string };

/** Why setting an affinity failed, in kinds a caller words for the user. */
export type AffinityFailure =
  /** The tool (taskset) is not installed. */
  | 'no-tool'
  /** sched_setaffinity refused: another user's task, without the privilege. */
  | 'not-permitted'
  /** The task has gone. */
  | 'gone'
  /** The cores asked for are not ones the task may use (offline, or outside its cpuset). */
  | 'invalid'
  /** This platform cannot set affinities at all. */
  | 'unsupported'
  | 'other';

export type AffinityOutcome = { ok: true } | { ok: false; failure: AffinityFailure; detail: string };

/**
 * A task's CPU affinity: which cores it may run on. Reading is a file; setting is an action on
 * another process, started only when the user (or an experiment) asks. Linux: linux/taskset-affinity.ts
 * (/proc and util-linux's taskset); elsewhere: fallback/no-cpu-affinity.ts, which says it cannot.
 */
export interface CpuAffinity {
  /** The cores a process (tid omitted) or one of its threads may run on. */
  read(pid: number, tid?: number): Promise<AffinityReading>;
  /** Restrict a process (every thread, allThreads) or one thread (pid is then its TID) to these cores. */
  set(pid: number, cores: readonly number[], allThreads: boolean): Promise<AffinityOutcome>;
}

export function createCpuAffinity(): CpuAffinity {
  return process.platform === 'linux' ? new TasksetAffinity() : new NoCpuAffinity();
}
