import type { ScenarioInfo } from '../src/model/lab-types.js';
import type { WorkloadMode } from './workloads/protocol.js';

/**
 * The lab's experiments, one per step of the lecture (0.py, 1.py, 2.py). Each names what to watch
 * for on the screen; the wording is ours, the experiments are the lecture's.
 */
/** How an experiment is carried out (see src/lab/experiments/). */
export type Procedure = 'steady' | 'race' | 'lost-results' | 'compare' | 'sweep' | 'fork-memory' | 'grid-search' | 'versus';

export interface ScenarioDefinition extends ScenarioInfo {
  procedure: Procedure;
  mode: WorkloadMode;
  /** Threads and processes are named `<prefix>-<n>`. */
  namePrefix: string;
  defaultWorkers: number | 'cores' | 'twice-cores';
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    id: 'one-thread',
    key: '1',
    page: 1,
    title: 'One busy thread',
    lecture: '0.py: do_stuff() on the main thread',
    lookFor: 'One core near 100%, the others idle. The process has one busy thread.',
    explanation: 'A thread runs on one core at a time. One busy thread can never use more than one core, however many the machine has.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'spin',
    namePrefix: 'busy-thread',
    defaultWorkers: 1,
    fixedWorkers: 1,
    finite: false,
  },
  {
    id: 'free-threads',
    key: '2',
    page: 1,
    title: 'Threads that release the lock',
    lecture: '0.py: 2 threads, then 11, doing numpy work',
    lookFor: 'One busy core per thread, up to the number of cores; with more threads than cores, they share.',
    explanation:
      'Each thread takes the shared lock only for a moment and does its heavy work without it, as numpy does in C. So the threads really run at the same time, on different cores.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'released',
    namePrefix: 'free-worker',
    defaultWorkers: 2,
    finite: false,
  },
  {
    id: 'gil-threads',
    key: '3',
    page: 1,
    title: 'Threads under a GIL-like lock',
    lecture: '0.py: `while True: pass` in threads',
    lookFor: 'Total CPU stays near one core however many threads you add, while CTXSW climbs.',
    explanation:
      'Only the thread holding the lock may compute; it hands the lock on every 5 ms. The threads take turns on what amounts to one core, and every hand-over is a context switch.',
    kind: 'threads',
    procedure: 'steady',
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
    page: 1,
    title: 'Processes',
    lecture: '0.py: switch to processes',
    lookFor: 'Every core busy, and one PID per worker in the process table.',
    explanation:
      'Each process has its own interpreter and its own memory, so no lock is shared: the OS runs them on all cores at once. The price: starting a process costs more, and they share nothing.',
    kind: 'processes',
    procedure: 'steady',
    mode: 'spin',
    namePrefix: 'proc-worker',
    defaultWorkers: 'cores',
    finite: false,
  },
  {
    id: 'threads-join',
    key: '5',
    page: 1,
    title: 'Threads with arguments, joined',
    lecture: '2.py: pass arguments to threads, join them',
    lookFor: 'One PID, several TIDs: each thread has its own row in the thread view. The results add up when all are joined.',
    explanation:
      'Each thread is given its share of a job (how many random points to throw at a square to estimate pi), works on it, and returns its count. join() waits for each thread; the main thread adds the counts.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'join',
    namePrefix: 'join-worker',
    defaultWorkers: 4,
    finite: true,
  },
  {
    id: 'race',
    key: '1',
    page: 2,
    title: 'Race on a shared counter',
    lecture: '3.py: the threading gotcha',
    lookFor: 'Expected and actual counts differ, and differ again on every run.',
    explanation:
      'counter += 1 is three steps: read the value, add one, write it back. When two threads read the same value before either writes, one of the two increments is lost.',
    kind: 'threads',
    procedure: 'race',
    mode: 'race',
    namePrefix: 'racer',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'race-fixed',
    key: '2',
    page: 2,
    title: 'The race fixed with a mutex',
    lecture: '3.py: protect the counter with a lock',
    lookFor: 'Actual always equals expected; the locked run is much slower than the racy one.',
    explanation:
      'A mutex lets one thread at a time through read-add-write, so no update is lost. The threads now wait for each other, which is what it costs.',
    kind: 'threads',
    procedure: 'race',
    mode: 'race-locked',
    namePrefix: 'locked',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'lost-results',
    key: '3',
    page: 2,
    title: 'Results lost by processes',
    lecture: '3.py: the multiprocessing gotcha',
    lookFor: "The children append their results; the parent's list stays empty.",
    explanation:
      "Each process has its own memory. A child appends to its own copy of the list (fork() copies the parent's memory, it does not share it), and that copy dies with the child.",
    kind: 'processes',
    procedure: 'lost-results',
    mode: 'lost',
    namePrefix: 'lost-worker',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'queue-results',
    key: '4',
    page: 2,
    title: 'Results sent back on a queue',
    lecture: '3.py: fix it with a queue',
    lookFor: 'Every result arrives in the parent.',
    explanation: 'The children send each result to the parent over a queue (here, the IPC channel). Processes share nothing unless they send it.',
    kind: 'processes',
    procedure: 'lost-results',
    mode: 'queue',
    namePrefix: 'queue-worker',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'compare-runtimes',
    key: '5',
    page: 2,
    title: 'Serial, threads and processes compared',
    lecture: '3.py: compare the runtimes',
    lookFor: 'The same work: GIL-like threads no faster than serial; lock-free threads and processes about cores times faster.',
    explanation:
      'One worker sets the amount of work; then GIL-like threads, lock-free threads and processes share it. Every comparison is kept (paratop lab compare).',
    kind: 'threads',
    procedure: 'compare',
    mode: 'spin',
    namePrefix: 'cmp',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'sweep',
    key: '6',
    page: 2,
    title: 'How many workers?',
    lecture: 'final remarks: how many threads or processes?',
    lookFor: 'Throughput climbs until the workers match the cores, then stays flat; context switches keep climbing.',
    explanation:
      'Past one worker per core the workers only take turns: no more work gets done, and every turn is a context switch (and colder caches).',
    kind: 'processes',
    procedure: 'sweep',
    mode: 'spin',
    namePrefix: 'sweep-worker',
    defaultWorkers: 'twice-cores',
    finite: true,
  },
  {
    id: 'fork-memory',
    key: '7',
    page: 2,
    title: 'Beware fork(): memory',
    lecture: 'final remarks: load, then fork, or fork, then load?',
    lookFor: 'Loading first costs the whole data set once per worker; loading after, once in all.',
    explanation:
      "fork() gives each child a copy of everything the parent holds. Load all the data first and every worker carries all of it; start the workers first and each loads only its part.",
    kind: 'processes',
    procedure: 'fork-memory',
    mode: 'memory',
    namePrefix: 'memory',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'grid-search',
    key: '8',
    page: 2,
    title: 'Grid search on a pool',
    lecture: 'final remarks: embarrassingly parallel, and how many cores to rent',
    lookFor: 'The pool finishes about cores times sooner; the calculator says how many cores a deadline needs.',
    explanation:
      'Every point of a 5x5x5 grid is an independent fit: no communication, so a pool of one worker per core divides the time. Press = for the calculator.',
    kind: 'processes',
    procedure: 'grid-search',
    mode: 'tasks',
    namePrefix: 'grid',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'threads-vs-processes',
    key: '9',
    page: 2,
    title: 'Threads vs processes, measured',
    lecture: 'Appendix A: threads vs processes',
    lookFor: 'Starting, sharing, crashing and the lock, each row measured now on this machine.',
    explanation:
      'Threads are quick to start and share memory; a fatal crash takes their whole process. Processes cost more to start and must message each other, but survive each other and escape the lock.',
    kind: 'threads',
    procedure: 'versus',
    mode: 'idle',
    namePrefix: 'vs',
    defaultWorkers: 16,
    finite: true,
  },
];

export function findScenario(id: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
