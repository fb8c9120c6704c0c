import type { ToEngine } from '../protocol.js';
import type { RunResult, ScenarioKind, WorkerState } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';

const ROUND_TRIPS = 500;
const CRASH_WAIT_MS = 1500;
const LOCK_SECONDS = 1.5;

interface Cell {
  threads: string;
  processes: string;
}

interface Creation {
  /** From asking for the workers to the last one reporting in, seconds. */
  seconds: number;
  /** Threads: how long the host process took to start before it asked for its threads (not included above). */
  hostSeconds: number | null;
  workers: WorkerState[];
}

/** How long the host takes to report its threads' start, at most, once they have reported in. */
const MEASURE_WAIT_MS = 2000;

/**
 * How long it takes to start `workers` of a kind. Threads: timed inside their host process, from its
 * first new Worker() to the last thread reporting in, so the host process's own start is left out.
 * Processes: from paratop launching the first to the last reporting in, each a whole Node runtime.
 */
async function creation(context: ExperimentContext, kind: ScenarioKind, workers: number): Promise<Creation | null> {
  if (context.signal.aborted) return null;
  const reported = new Map<string, number>();
  const started = performance.now();
  const group = await context.startGroup({
    kind,
    mode: 'idle',
    namePrefix: kind === 'threads' ? 'vs-thread' : 'vs-proc',
    workers,
    onMessage: collect(reported),
  });
  const launchedAll = (performance.now() - started) / 1000;
  if (kind === 'threads') await untilMeasured(context, reported, 'threads-start-ms', MEASURE_WAIT_MS);
  const states = group.workerStates();
  await context.stopGroup(group);
  if (context.signal.aborted) return null;
  if (kind === 'processes') return { seconds: launchedAll, hostSeconds: null, workers: states };
  const threads = reported.get('threads-start-ms');
  const host = reported.get('host-start-ms');
  return threads === undefined
    ? null
    : { seconds: threads / 1000, hostSeconds: host === undefined ? null : host / 1000, workers: states };
}

/** Keep the measurements a workload reports itself, by name. */
function collect(into: Map<string, number>): (message: ToEngine) => void {
  return (message) => {
    if (message.type === 'measure') into.set(message.name, message.value);
  };
}

/** Wait, at most `timeoutMs`, until a workload has reported the measurement `name`. */
async function untilMeasured(
  context: ExperimentContext,
  reported: ReadonlyMap<string, number>,
  name: string,
  timeoutMs: number,
): Promise<void> {
  for (let waited = 0; waited < timeoutMs && !reported.has(name) && (await context.sleep(20)); waited += 20);
}

async function processRoundTrip(context: ExperimentContext, steps: WorkerState[][]): Promise<number | null> {
  if (context.signal.aborted) return null;
  let answered: () => void = () => undefined;
  const group = await context.startGroup({
    kind: 'processes',
    mode: 'echo',
    namePrefix: 'vs-echo',
    workers: 1,
    onMessage: (message) => {
      if (message.type === 'pong') answered();
    },
  });
  steps.push(group.workerStates());
  const ping = (id: number): Promise<void> =>
    new Promise((resolve) => {
      answered = resolve;
      group.send({ type: 'ping', id });
    });
  for (let id = 0; id < 50; id += 1) await ping(id);
  const started = performance.now();
  for (let id = 0; id < ROUND_TRIPS && !context.signal.aborted; id += 1) await ping(id);
  const microseconds = ((performance.now() - started) * 1000) / ROUND_TRIPS;
  await context.stopGroup(group);
  return context.signal.aborted ? null : microseconds;
}

/** One of three workers dies; how many of the other two are still there a moment later? */
async function survivors(
  context: ExperimentContext,
  steps: WorkerState[][],
  kind: ScenarioKind,
  how: 'fatal' | 'throw',
): Promise<number | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup({
    kind,
    mode: 'crash',
    namePrefix: kind === 'threads' ? 'vs-crash-t' : 'vs-crash-p',
    workers: 3,
    spec: { crashIndex: 1, crashHow: how },
  });
  steps.push(group.workerStates());
  const waited = await context.sleep(CRASH_WAIT_MS);
  const alive = group
    .workerStates()
    .filter((worker) => worker.index !== 1)
    .filter((worker) =>
      worker.tid === null ? group.alive() : context.probe.threadCpuSeconds(worker.pid, worker.tid) !== null,
    ).length;
  await context.stopGroup(group);
  return waited ? alive : null;
}

async function coresUnderLock(
  context: ExperimentContext,
  steps: WorkerState[][],
  kind: ScenarioKind,
): Promise<number | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup({
    kind,
    mode: kind === 'threads' ? 'gil' : 'spin',
    namePrefix: kind === 'threads' ? 'vs-gil' : 'vs-spin',
    workers: context.cores,
  });
  const waited = await context.sleep(LOCK_SECONDS * 1000);
  const measured = group.measure();
  steps.push(measured.workerStates);
  await context.stopGroup(group);
  return waited && measured.cpuSeconds !== null && measured.wallSeconds > 0
    ? measured.cpuSeconds / measured.wallSeconds
    : null;
}

/** What the start-up times include, said plainly: neither is the textbook "thread vs fork()". */
function creationNote(threads: Creation | null, count: number): string {
  const host =
    threads?.hostSeconds === null || threads?.hostSeconds === undefined
      ? ''
      : ` (${(threads.hostSeconds * 1000).toFixed(0)} ms here)`;
  return (
    `Starting ${count} threads is timed inside their host process, from ` +
    `its first new Worker() to the last thread reporting in; ` +
    `the host process's own start${host} is not included. A Node worker ` +
    `thread starts a JS engine of its own, so it costs more than a C or ` +
    `CPython thread. ` +
    `Starting ${count} processes is timed from paratop launching the first ` +
    `to the last reporting in: each is a whole new Node runtime.`
  );
}

/**
 * The lecture's Appendix A, measured on this machine rather than asserted: starting workers, sharing
 * data, surviving a crash, and what a GIL-like lock does to threads.
 */
export async function versusExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const count = options.workers;
  const rows: [string, Cell][] = [];
  const steps: WorkerState[][] = [];
  const ms = (created: Creation | null): string =>
    created === null
      ? '-'
      : `${(created.seconds * 1000).toFixed(0)} ms (${((created.seconds * 1000) / count).toFixed(1)} each)`;

  context.step(`starting ${count} threads, then ${count} processes`);
  const threadStart = await creation(context, 'threads', count);
  const processStart = await creation(context, 'processes', count);
  for (const created of [threadStart, processStart]) if (created) steps.push(created.workers);
  rows.push([`start ${count} workers`, { threads: ms(threadStart), processes: ms(processStart) }]);

  context.step('shared memory and message round trips');
  const reported = new Map<string, number>();
  if (!context.signal.aborted) {
    const echo = await context.startGroup({
      kind: 'threads',
      mode: 'echo',
      namePrefix: 'vs-echo-t',
      workers: 1,
      onMessage: collect(reported),
    });
    steps.push(echo.workerStates());
    await untilMeasured(context, reported, 'thread-round-trip-us', 4000);
    await context.stopGroup(echo);
  }
  const shared = reported.get('shared-memory-ns');
  rows.push([
    'read and update shared memory',
    {
      threads: shared === undefined ? '-' : `${shared.toFixed(1)} ns (Atomics.add)`,
      processes: 'none shared: messages only',
    },
  ]);
  const threadTrip = reported.get('thread-round-trip-us');
  const processTrip = await processRoundTrip(context, steps);
  rows.push([
    'message round trip',
    {
      threads: threadTrip === undefined ? '-' : `${threadTrip.toFixed(1)} µs`,
      processes: processTrip === null ? '-' : `${processTrip.toFixed(1)} µs`,
    },
  ]);

  context.step('one worker of three crashes');
  const of2 = (value: number | null): string => (value === null ? '-' : `${value} of 2 others survive`);
  const fatal = {
    threads: await survivors(context, steps, 'threads', 'fatal'),
    processes: await survivors(context, steps, 'processes', 'fatal'),
  };
  rows.push(['a fatal crash in one worker', { threads: of2(fatal.threads), processes: of2(fatal.processes) }]);
  rows.push([
    'an uncaught exception in one worker',
    {
      threads: of2(await survivors(context, steps, 'threads', 'throw')),
      processes: of2(await survivors(context, steps, 'processes', 'throw')),
    },
  ]);

  context.step(`${context.cores} busy workers: GIL-like threads, then processes`);
  const lockThreads = await coresUnderLock(context, steps, 'threads');
  const lockProcesses = await coresUnderLock(context, steps, 'processes');
  const cores = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)} cores busy`);
  rows.push([
    `${context.cores} busy workers (threads under a GIL-like lock)`,
    { threads: cores(lockThreads), processes: cores(lockProcesses) },
  ]);

  const stopped = context.signal.aborted;
  const faster =
    threadStart && processStart ? (threadStart.seconds <= processStart.seconds ? 'threads' : 'processes') : null;
  const summary = stopped
    ? 'Stopped part-way; the rows measured so far are below.'
    : `Measured here: ${faster ?? 'neither kind'} started faster; a fatal ` +
      `crash left ${fatal.threads ?? '-'} of 2 threads and ` +
      `${fatal.processes ?? '-'} of 2 processes running; under the lock, ` +
      `threads kept ${cores(lockThreads)}, processes ${cores(lockProcesses)}.`;
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers: count,
      wallSeconds: 0,
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      // The rows are in the table; the lines say only what the table cannot.
      lines: threadStart || processStart ? [creationNote(threadStart, count)] : [],
      perWorker: perWorkerOfSteps(steps),
      details: {
        rows: rows.map(([what, cell]) => ({ what, ...cell })),
        threadStartSeconds: threadStart?.seconds ?? null,
        threadHostStartSeconds: threadStart?.hostSeconds ?? null,
        processStartSeconds: processStart?.seconds ?? null,
        sharedMemoryNs: shared ?? null,
        threadRoundTripUs: threadTrip ?? null,
        processRoundTripUs: processTrip,
        coresUnderLock: { threads: lockThreads, processes: lockProcesses },
      },
      table: {
        columns: ['', 'threads', 'processes'],
        rows: rows.map(([what, cell]) => [what, cell.threads, cell.processes]),
      },
    },
  );
}
