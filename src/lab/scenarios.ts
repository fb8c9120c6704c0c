import type { ScenarioInfo } from '../model/lab-types.js';
import type { PythonMode, WorkloadMode } from './protocol.js';

/**
 * The lab's experiments, one per step of the lecture (0.py, 1.py, 2.py). Each names what to watch
 * for on the screen; the wording is ours, the experiments are the lecture's.
 */
/** How an experiment is carried out (see src/lab/experiments/). */
export type Procedure =
  | 'steady'
  | 'race'
  | 'lost-results'
  | 'compare'
  | 'sweep'
  | 'fork-memory'
  | 'grid-search'
  | 'versus'
  | 'side-by-side'
  | 'command'
  | 'memory-hierarchy'
  | 'cache-sharing'
  | 'io-bound'
  | 'pinned'
  | 'gpu-cores';

export interface ScenarioDefinition extends ScenarioInfo {
  procedure: Procedure;
  mode: WorkloadMode | PythonMode;
  /** Threads and processes are named `<prefix>-<n>`. */
  namePrefix: string;
  defaultWorkers: number | 'cores' | 'twice-cores';
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    id: 'one-thread',
    key: '1',
    page: 1,
    runtime: 'node',
    title: 'One busy thread',
    lecture: '0.py: do_stuff() on the main thread',
    lookFor: 'One core near 100%, the others idle. The process has one busy thread.',
    explanation:
      'A thread runs on one core at a time. One busy thread can never use more than ' +
      'one core, however many the machine has.',
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
    runtime: 'node',
    title: 'Threads that release the lock',
    lecture: '0.py: 2 threads, then 11, doing numpy work',
    lookFor: 'One busy core per thread, up to the number of cores; with more threads than cores, they share.',
    explanation:
      'Each thread takes the shared lock only for a moment and does its heavy work ' +
      'without it, as numpy does in C. So the threads really run at the same time, on ' +
      'different cores.',
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
    runtime: 'node',
    title: 'Threads under a GIL-like lock',
    lecture: '0.py: `while True: pass` in threads',
    lookFor: 'Total CPU stays near one core however many threads you add, while CTXSW climbs.',
    explanation:
      'Only the thread holding the lock may compute; it hands the lock on every 5 ms. ' +
      'The threads take turns on what amounts to one core, and every hand-over is a ' +
      'context switch.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'gil',
    namePrefix: 'gil-worker',
    defaultWorkers: 2,
    finite: false,
    simulation:
      "Simulates CPython's GIL: Node's threads have no such lock, so these share one " +
      '(SharedArrayBuffer + Atomics) and switch every 5 ms, as CPython does.',
    simulationBrief: "Simulates CPython's GIL (Node's threads have none).",
  },
  {
    id: 'processes',
    key: '4',
    page: 1,
    runtime: 'node',
    title: 'Processes',
    lecture: '0.py: switch to processes',
    lookFor: 'Every core busy, and one PID per worker in the process table.',
    explanation:
      'Each process has its own interpreter and its own memory, so no lock is shared: ' +
      'the OS runs them on all cores at once. The price: starting a process costs ' +
      'more, and they share nothing.',
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
    runtime: 'node',
    title: 'Threads with arguments, joined',
    lecture: '2.py: pass arguments to threads, join them',
    lookFor:
      'One PID, several TIDs: each thread has its own row in the thread view. The results add up when all are joined.',
    explanation:
      'Each thread is given its share of a job (how many random points to throw at a ' +
      'square to estimate pi), works on it, and returns its count. join() waits for ' +
      'each thread; the main thread adds the counts.',
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
    runtime: 'node',
    title: 'Race on a shared counter',
    lecture: '3.py: the threading gotcha',
    lookFor: 'Expected and actual counts differ, and differ again on every run.',
    explanation:
      'counter += 1 is three steps: read the value, add one, write it back. When two ' +
      'threads read the same value before either writes, one of the two increments is ' +
      'lost.',
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
    runtime: 'node',
    title: 'The race fixed with a mutex',
    lecture: '3.py: protect the counter with a lock',
    lookFor: 'Actual always equals expected; the time of each run is shown: the locked one is usually slower.',
    explanation:
      'A mutex lets one thread at a time through read-add-write, so no update is lost. ' +
      'The threads now wait for each other, which is what it costs.',
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
    runtime: 'node',
    title: 'Results lost by processes',
    lecture: '3.py: the multiprocessing gotcha',
    lookFor: "The children append their results; the parent's list stays empty.",
    explanation:
      'Each process has its own memory: a Node child starts fresh, with a list of its ' +
      "own, and appends to that; the list dies with the child. (Python's fork() gives " +
      "each child a copy of the parent's memory, list included, with the same result; " +
      'Python on macOS starts children with spawn by default.)',
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
    runtime: 'node',
    title: 'Results sent back on a queue',
    lecture: '3.py: fix it with a queue',
    lookFor: 'Every result arrives in the parent.',
    explanation:
      'The children send each result to the parent over a queue (here, the IPC ' +
      'channel). Processes share nothing unless they send it.',
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
    runtime: 'node',
    title: 'Serial, threads and processes compared',
    lecture: '3.py: compare the runtimes',
    lookFor:
      'The same work: GIL-like threads no faster than serial; lock-free threads and ' +
      'processes about cores times faster.',
    explanation:
      'The job is sized on one worker; then the same number of work units is done ' +
      'serially, by GIL-like threads, by lock-free threads and by processes, each ' +
      'timed from start to finish. Every comparison is kept (paratop lab compare).',
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
    runtime: 'node',
    title: 'How many workers?',
    lecture: 'final remarks: how many threads or processes?',
    lookFor: 'Throughput climbs until the workers match the cores, then stays flat; context switches keep climbing.',
    explanation:
      'Past one worker per core the workers only take turns: no more work gets done, ' +
      'and every turn is a context switch (and colder caches).',
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
    runtime: 'node',
    title: 'Beware fork(): memory',
    lecture: 'final remarks: load, then fork, or fork, then load?',
    lookFor:
      'Loading first costs the whole data set once per process; loading after, about once in all (PSS, which adds up).',
    explanation:
      'fork() gives each child a copy of everything the parent holds, copied page by ' +
      'page as it is touched. Load all the data first and every worker that uses it ' +
      'ends up carrying all of it; start the workers first and each loads only its ' +
      'part.',
    kind: 'processes',
    procedure: 'fork-memory',
    mode: 'memory',
    namePrefix: 'memory',
    defaultWorkers: 'cores',
    finite: true,
    simulation:
      "Node has no fork(): every process starts fresh. 'Load, then start' gives each " +
      'process the whole data set, as fork() leaves each child once it touches its ' +
      'copy.',
  },
  {
    id: 'grid-search',
    key: '8',
    page: 2,
    runtime: 'node',
    title: 'Grid search on a pool',
    lecture: 'final remarks: embarrassingly parallel, and how many cores to rent',
    lookFor: 'The pool finishes about cores times sooner; the calculator says how many cores a deadline needs.',
    explanation:
      'Every point of a 5x5x5 grid is an independent fit: no communication, so a pool ' +
      'of one worker per core divides the time. Press = for the calculator.',
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
    runtime: 'node',
    title: 'Threads vs processes, measured',
    lecture: 'Appendix A: threads vs processes',
    lookFor: 'Starting, sharing, crashing and the lock, each row measured now on this machine.',
    explanation:
      'Threads share memory; a fatal crash takes their whole process. Processes must ' +
      'message each other, but survive each other and escape the lock. Start-up is ' +
      'measured: a Node worker thread starts a JS engine of its own, so its lead over ' +
      'a process is smaller than in C or CPython.',
    kind: 'threads',
    procedure: 'versus',
    mode: 'idle',
    namePrefix: 'vs',
    defaultWorkers: 50,
    // Its workers start and wait (they do not spin), so the lecture's 50 of each is safe on any machine.
    maxWorkers: 64,
    finite: true,
  },
  {
    id: 'py-gil-threads',
    key: '1',
    page: 3,
    runtime: 'python',
    title: 'Python threads, pure Python',
    lecture: '0.py: `while True: pass` in threads, in real Python',
    lookFor: 'One core in total, whatever the number of threads: the real GIL.',
    explanation:
      'CPython lets one thread at a time run Python code. A thread waiting for the GIL ' +
      'asks for it after 5 ms (sys.getswitchinterval()), and the holder hands it over: ' +
      'turns, not parallelism.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'gil',
    namePrefix: 'py-gil',
    defaultWorkers: 2,
    finite: false,
  },
  {
    id: 'py-free-threads',
    key: '2',
    page: 3,
    runtime: 'python',
    title: 'Python threads that release the GIL',
    lecture: '0.py: threads doing numpy-like work, in real Python',
    lookFor: 'One busy core per thread: hashlib lets go of the GIL while it hashes.',
    explanation:
      'Code written in C (hashlib, zlib, numpy) can release the GIL while it works on ' +
      'a large buffer. Then the threads really run at the same time.',
    kind: 'threads',
    procedure: 'steady',
    mode: 'released',
    namePrefix: 'py-hash',
    defaultWorkers: 2,
    finite: false,
  },
  {
    id: 'py-processes',
    key: '3',
    page: 3,
    runtime: 'python',
    title: 'Python multiprocessing',
    lecture: '0.py: switch to processes, in real Python',
    lookFor: 'Every core busy: each process has its own interpreter and its own GIL.',
    explanation:
      'multiprocessing starts whole Python processes (here with fork). Each has its ' +
      'own GIL, so pure Python code runs on all cores.',
    kind: 'processes',
    procedure: 'steady',
    mode: 'processes',
    namePrefix: 'py-proc',
    defaultWorkers: 'cores',
    finite: false,
  },
  {
    id: 'py-race',
    key: '4',
    page: 3,
    runtime: 'python',
    title: 'Python race on a shared counter',
    lecture: '3.py: the threading gotcha, in real Python',
    lookFor: 'Expected and actual counts differ: the GIL does not make counter += 1 safe.',
    explanation:
      'Since CPython 3.10 a thread is switched only at certain points, so a bare ' +
      'counter += 1 seldom loses updates any more. Real code does other work between ' +
      'reading and writing; here a thread sometimes yields there (time.sleep(0)), at ' +
      'random, so another can write in between: updates are lost, a different number ' +
      'each run.',
    kind: 'threads',
    procedure: 'race',
    mode: 'race',
    namePrefix: 'py-racer',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'py-lost-results',
    key: '5',
    page: 3,
    runtime: 'python',
    title: 'Python results lost by processes',
    lecture: '3.py: the multiprocessing gotcha, with fork',
    lookFor: "The children append to the global list; the parent's list stays empty.",
    explanation:
      "With the fork start method each child gets a copy of the parent's memory, list " +
      'included. It appends to its copy, which dies with it.',
    kind: 'processes',
    procedure: 'lost-results',
    mode: 'lost',
    namePrefix: 'py-lost',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'py-queue-results',
    key: '6',
    page: 3,
    runtime: 'python',
    title: 'Python results on a multiprocessing.Queue',
    lecture: '3.py: fix it with a queue, in real Python',
    lookFor: 'Every result arrives in the parent.',
    explanation:
      'multiprocessing.Queue pickles each result and sends it through a pipe to the ' +
      'parent. Nothing is shared; everything is sent.',
    kind: 'processes',
    procedure: 'lost-results',
    mode: 'queue',
    namePrefix: 'py-queue',
    defaultWorkers: 2,
    finite: true,
  },
  {
    id: 'py-fork-memory',
    key: '7',
    page: 3,
    runtime: 'python',
    title: 'Python fork(): copy-on-write',
    lecture: 'final remarks: beware fork(), in real Python',
    lookFor: "Forked children share the parent's pages until they touch them; reading Python objects touches them.",
    explanation:
      'fork() copies lazily: a page is copied when either side writes to it. Python ' +
      'writes reference counts even when it only reads an object, so a child that ' +
      'reads the data copies it. Loading after the fork avoids both.',
    kind: 'processes',
    procedure: 'fork-memory',
    mode: 'load-then-fork',
    namePrefix: 'py-mem',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'py-vs-simulated-gil',
    key: '8',
    page: 3,
    runtime: 'python',
    title: 'Simulated GIL and real GIL, side by side',
    lecture: "0.py: the GIL, paratop's simulation against CPython's",
    lookFor: 'The same worker counts, the same answer: about one core, whatever the number of threads.',
    explanation:
      "Each count runs paratop's GIL-like threads, then the same number of pure-Python " +
      'threads, and compares the cores they use and how often they switch.',
    kind: 'threads',
    procedure: 'side-by-side',
    mode: 'gil',
    namePrefix: 'cmp-gil',
    defaultWorkers: 4,
    finite: true,
  },
  {
    id: 'memory-hierarchy',
    key: '1',
    page: 4,
    runtime: 'node',
    title: 'The memory hierarchy, measured',
    lecture: 'the cartoon of the computer: L1, L2, L3, RAM',
    lookFor:
      'Nanoseconds per load climb in steps as the working set outgrows L1, L2, L3: ' +
      'about 1 ns, a few ns, tens, then ~100 ns in RAM.',
    explanation:
      'Each load depends on the one before, in a random order, so nothing can be ' +
      'fetched ahead: the time per load is the latency of wherever the data lives. A ' +
      'set that fits a cache is served by it; one that does not goes one level further ' +
      'out.',
    kind: 'processes',
    procedure: 'memory-hierarchy',
    mode: 'latency',
    namePrefix: 'mem-ladder',
    defaultWorkers: 1,
    fixedWorkers: 1,
    finite: true,
  },
  {
    id: 'cache-sharing',
    key: '2',
    page: 4,
    runtime: 'node',
    title: 'More workers, more cache misses',
    lecture: 'final remarks: more threads, more cache misses',
    lookFor:
      "Once the workers' data together outgrows the cache (and once they outnumber the " +
      'cores), each load takes longer and each worker does less.',
    explanation:
      'Each worker walks as much data of its own as the last-level cache holds for ' +
      "one. One fits; more push each other's data out, so loads go to RAM. Workers " +
      "taking turns on a core find the cache full of the other's data each time.",
    kind: 'processes',
    procedure: 'cache-sharing',
    mode: 'chase',
    namePrefix: 'cache-walker',
    defaultWorkers: 'twice-cores',
    finite: true,
  },
  {
    id: 'io-bound',
    key: '3',
    page: 4,
    runtime: 'node',
    title: 'I/O-bound against CPU-bound threads',
    lecture: 'every program is bottlenecked by one component: CPU-bound or IO-bound',
    lookFor:
      'I/O-bound threads finish about N times sooner with the CPU near idle; CPU-bound ' +
      'ones stay on one core, no faster.',
    explanation:
      'A thread waiting for I/O gives the lock back (as CPython releases the GIL in a ' +
      'blocking call), so while it waits another can run: the waits overlap. CPU-bound ' +
      'threads need the lock all the time, so they take turns.',
    kind: 'threads',
    procedure: 'io-bound',
    mode: 'io',
    namePrefix: 'io',
    defaultWorkers: 8,
    finite: true,
    simulation:
      "Simulates CPython's GIL with a lock the threads share; the I/O is real " +
      '(requests over a loopback socket to a service that answers after 50 ms).',
    simulationBrief: 'Simulated GIL; real socket I/O.',
  },
  {
    id: 'py-io-threads',
    key: '4',
    page: 4,
    runtime: 'python',
    title: 'Python threads waiting on I/O',
    lecture: 'CPU-bound or IO-bound, in real Python',
    lookFor:
      'Threads blocked in recv() hold no GIL: N of them finish about N times sooner; ' +
      'pure-Python CPU work stays on one core.',
    explanation:
      'CPython releases the GIL around blocking calls (socket.recv, file reads, ' +
      'time.sleep), so threads are the right tool for waiting on many things at once, ' +
      'and the wrong one for computing.',
    kind: 'threads',
    procedure: 'io-bound',
    mode: 'io',
    namePrefix: 'py-io',
    defaultWorkers: 8,
    finite: true,
  },
  {
    id: 'pinned',
    key: '5',
    page: 4,
    runtime: 'node',
    title: 'Processes pinned to one core, then free',
    lecture: "0.py's processes, pinned with taskset (htop's a)",
    lookFor:
      'Pinned to one core, the two processes get about 50% each; unpinned, about 100% each, on a core of their own.',
    explanation:
      'A process runs only on the cores its affinity allows. Two busy processes allowed one core take ' +
      'turns on it, however many cores are idle; a container limited to 2 CPUs does the same to a ' +
      'Pool() that starts one worker per host core.',
    kind: 'processes',
    procedure: 'pinned',
    mode: 'spin',
    namePrefix: 'pinned-worker',
    defaultWorkers: 2,
    fixedWorkers: 2,
    finite: true,
  },
  {
    id: 'grid-dask',
    key: '1',
    page: 5,
    runtime: 'python',
    engine: 'dask',
    title: 'Grid search on Dask',
    lecture: 'final remarks: the grid search on an engine made for many machines',
    lookFor:
      'A scheduler and one worker process per core, each taking tasks as it frees up; kill a worker (k) and ' +
      'Dask runs its tasks on the others.',
    explanation:
      'Dask distributed keeps the task list in its scheduler and hands tasks to workers, which may be on other ' +
      'machines (--scheduler). A worker that dies loses only its running task: the scheduler gives it to another.',
    kind: 'processes',
    procedure: 'grid-search',
    mode: 'tasks',
    namePrefix: 'dask-worker',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'grid-mpi',
    key: '2',
    page: 5,
    runtime: 'python',
    engine: 'mpi',
    title: 'Grid search on MPI',
    lecture: 'final remarks: the grid search on an engine made for many machines',
    lookFor:
      'mpirun, one rank that hands out tasks and one rank per worker; kill a rank (k) and mpirun ends the whole job.',
    explanation:
      'mpi4py.futures makes MPI ranks a pool: rank 0 runs the grid, the others take tasks. MPI jobs live and die ' +
      'together: when one rank dies, mpirun stops them all.',
    kind: 'processes',
    procedure: 'grid-search',
    mode: 'tasks',
    namePrefix: 'mpi-rank',
    defaultWorkers: 'cores',
    finite: true,
  },
  {
    id: 'gpu-cores',
    key: '3',
    page: 5,
    runtime: 'python',
    engine: 'gpu',
    title: 'Thousands of GPU cores against the CPU',
    lecture: 'final remarks: "a single GPU has thousands of cores"',
    lookFor:
      'The same matrix product on every CPU core, then on the GPU: the GPU meter lights up while the core meters ' +
      'stay low, and the product takes a fraction of the time.',
    explanation:
      'A GPU has tens to hundreds of multiprocessors of 64 to 128 simple cores each, all doing the same ' +
      'arithmetic on different data. An embarrassingly parallel kernel such as a matrix product fills them; ' +
      'the CPU only launches the work and waits.',
    kind: 'processes',
    procedure: 'gpu-cores',
    mode: 'tasks',
    namePrefix: 'gpu-cores',
    defaultWorkers: 1,
    fixedWorkers: 1,
    finite: true,
  },
];

export function findScenario(id: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}
