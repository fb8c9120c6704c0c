import type { ScenarioInfo } from '../src/model/lab-types.js';
import type { WorkloadMode } from './workloads/protocol.js';

/**
 * The lab's experiments, one per step of the lecture (0.py, 1.py, 2.py). Each names what to watch
 * for on the screen; the wording is ours, the experiments are the lecture's.
 */
export interface ScenarioDefinition extends ScenarioInfo {
  mode: WorkloadMode;
  /** Threads and processes are named `<prefix>-<n>`. */
  namePrefix: string;
  defaultWorkers: number | 'cores';
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    id: 'one-thread',
    key: '1',
    title: 'One busy thread',
    lecture: '0.py: do_stuff() on the main thread',
    lookFor: 'One core near 100%, the others idle. The process has one busy thread.',
    explanation: 'A thread runs on one core at a time. One busy thread can never use more than one core, however many the machine has.',
    kind: 'threads',
    mode: 'spin',
    namePrefix: 'busy-thread',
    defaultWorkers: 1,
    fixedWorkers: 1,
    finite: false,
  },
  {
    id: 'free-threads',
    key: '2',
    title: 'Threads that release the lock',
    lecture: '0.py: 2 threads, then 11, doing numpy work',
    lookFor: 'One busy core per thread, up to the number of cores; with more threads than cores, they share.',
    explanation:
      'Each thread takes the shared lock only for a moment and does its heavy work without it, as numpy does in C. So the threads really run at the same time, on different cores.',
    kind: 'threads',
    mode: 'released',
    namePrefix: 'free-worker',
    defaultWorkers: 2,
    finite: false,
  },
  {
    id: 'gil-threads',
    key: '3',
    title: 'Threads under a GIL-like lock',
    lecture: '0.py: `while True: pass` in threads',
    lookFor: 'Total CPU stays near one core however many threads you add, while CTXSW climbs.',
    explanation:
      'Only the thread holding the lock may compute; it hands the lock on every 5 ms. The threads take turns on what amounts to one core, and every hand-over is a context switch.',
    kind: 'threads',
    mode: 'gil',
    namePrefix: 'gil-worker',
    defaultWorkers: 2,
    finite: false,
    simulation:
      "Simulates CPython's GIL: Node's threads have no such lock, so these share one (SharedArrayBuffer + Atomics) and switch every 5 ms, as CPython does.",
  },
  {
    id: 'processes',
    key: '4',
    title: 'Processes',
    lecture: '0.py: switch to processes',
    lookFor: 'Every core busy, and one PID per worker in the process table.',
    explanation:
      'Each process has its own interpreter and its own memory, so no lock is shared: the OS runs them on all cores at once. The price: starting a process costs more, and they share nothing.',
    kind: 'processes',
    mode: 'spin',
    namePrefix: 'proc-worker',
    defaultWorkers: 'cores',
    finite: false,
  },
  {
    id: 'threads-join',
    key: '5',
    title: 'Threads with arguments, joined',
    lecture: '2.py: pass arguments to threads, join them',
    lookFor: 'One PID, several TIDs: each thread has its own row in the thread view. The results add up when all are joined.',
    explanation:
      'Each thread is given its share of a job (how many random points to throw at a square to estimate pi), works on it, and returns its count. join() waits for each thread; the main thread adds the counts.',
    kind: 'threads',
    mode: 'join',
    namePrefix: 'join-worker',
    defaultWorkers: 4,
    finite: true,
  },
];

export function findScenario(id: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
