import type { RunResult, ScenarioKind } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';
import type { WorkloadGroup } from '../workload-group.js';

const ROUND_TRIPS = 500;
const CRASH_WAIT_MS = 1500;
const LOCK_SECONDS = 1.5;

interface Cell {
  threads: string;
  processes: string;
}

/** How long it takes to start `workers` of a kind until all have reported in. */
async function creation(context: ExperimentContext, kind: ScenarioKind, workers: number): Promise<number | null> {
  if (context.signal.aborted) return null;
  const started = performance.now();
  const group = await context.startGroup({ kind, mode: 'idle', namePrefix: kind === 'threads' ? 'vs-thread' : 'vs-proc', workers });
  const seconds = (performance.now() - started) / 1000;
  await context.stopGroup(group);
  return context.signal.aborted ? null : seconds;
}

/** Keep the measurements a workload reports itself, by name. */
function collect(group: WorkloadGroup, into: Map<string, number>): void {
  group.onMessage((message) => {
    if (message.type === 'measure') into.set(message.name, message.value);
  });
}

async function processRoundTrip(context: ExperimentContext): Promise<number | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup({ kind: 'processes', mode: 'echo', namePrefix: 'vs-echo', workers: 1 });
  let answered: () => void = () => undefined;
  group.onMessage((message) => {
    if (message.type === 'pong') answered();
  });
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
async function survivors(context: ExperimentContext, kind: ScenarioKind, how: 'fatal' | 'throw'): Promise<number | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup({
    kind,
    mode: 'crash',
    namePrefix: kind === 'threads' ? 'vs-crash-t' : 'vs-crash-p',
    workers: 3,
    spec: { crashIndex: 1, crashHow: how },
  });
  const waited = await context.sleep(CRASH_WAIT_MS);
  const alive = group
    .workerStates()
    .filter((worker) => worker.index !== 1)
    .filter((worker) => (worker.tid === null ? group.alive() : context.clock.threadCpuSeconds(worker.pid, worker.tid) !== null)).length;
  await context.stopGroup(group);
  return waited ? alive : null;
}

async function coresUnderLock(context: ExperimentContext, kind: ScenarioKind): Promise<number | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup({
    kind,
    mode: kind === 'threads' ? 'gil' : 'spin',
    namePrefix: kind === 'threads' ? 'vs-gil' : 'vs-spin',
    workers: context.cores,
  });
  const waited = await context.sleep(LOCK_SECONDS * 1000);
  const measured = group.measure();
  await context.stopGroup(group);
  return waited && measured.cpuSeconds !== null && measured.wallSeconds > 0 ? measured.cpuSeconds / measured.wallSeconds : null;
}

/**
 * The lecture's Appendix A, measured on this machine rather than asserted: starting workers, sharing
 * data, surviving a crash, and what a GIL-like lock does to threads.
 */
export async function versusExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const count = options.workers;
  const rows: [string, Cell][] = [];
  const ms = (seconds: number | null): string => (seconds === null ? '-' : `${(seconds * 1000).toFixed(0)} ms (${((seconds * 1000) / count).toFixed(1)} each)`);

  context.step(`starting ${count} threads, then ${count} processes`);
  const threadStart = await creation(context, 'threads', count);
  const processStart = await creation(context, 'processes', count);
  rows.push([`start ${count} workers`, { threads: ms(threadStart), processes: ms(processStart) }]);

  context.step('shared memory and message round trips');
  const reported = new Map<string, number>();
  if (!context.signal.aborted) {
    const echo = await context.startGroup({ kind: 'threads', mode: 'echo', namePrefix: 'vs-echo-t', workers: 1 });
    collect(echo, reported);
    for (let waited = 0; waited < 40 && !reported.has('thread-round-trip-us') && !context.signal.aborted; waited += 1) await context.sleep(100);
    await context.stopGroup(echo);
  }
  const shared = reported.get('shared-memory-ns');
  rows.push(['read and update shared memory', { threads: shared === undefined ? '-' : `${shared.toFixed(1)} ns (Atomics.add)`, processes: 'none shared: messages only' }]);
  const threadTrip = reported.get('thread-round-trip-us');
  const processTrip = await processRoundTrip(context);
  rows.push(['message round trip', { threads: threadTrip === undefined ? '-' : `${threadTrip.toFixed(1)} µs`, processes: processTrip === null ? '-' : `${processTrip.toFixed(1)} µs` }]);

  context.step('one worker of three crashes');
  const of2 = (value: number | null): string => (value === null ? '-' : `${value} of 2 others survive`);
  rows.push(['a fatal crash in one worker', { threads: of2(await survivors(context, 'threads', 'fatal')), processes: of2(await survivors(context, 'processes', 'fatal')) }]);
  rows.push(['an uncaught exception in one worker', { threads: of2(await survivors(context, 'threads', 'throw')), processes: of2(await survivors(context, 'processes', 'throw')) }]);

  context.step(`${context.cores} busy workers: GIL-like threads, then processes`);
  const lockThreads = await coresUnderLock(context, 'threads');
  const lockProcesses = await coresUnderLock(context, 'processes');
  const cores = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)} cores busy`);
  rows.push([`${context.cores} busy workers (threads under a GIL-like lock)`, { threads: cores(lockThreads), processes: cores(lockProcesses) }]);

  const stopped = context.signal.aborted;
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers: count,
      wallSeconds: 0,
      stoppedBy: stopped ? 'asked' : 'finished',
      summary: stopped ? 'Stopped part-way; the rows measured so far are below.' : 'Threads start faster and share memory; processes survive each other’s crashes and escape the lock.',
    },
    {
      lines: rows.map(([what, cell]) => `${what}: threads ${cell.threads}; processes ${cell.processes}.`),
      details: { rows: rows.map(([what, cell]) => ({ what, ...cell })), threadStartSeconds: threadStart, processStartSeconds: processStart, sharedMemoryNs: shared ?? null, threadRoundTripUs: threadTrip ?? null, processRoundTripUs: processTrip, coresUnderLock: { threads: lockThreads, processes: lockProcesses } },
      table: { columns: ['', 'threads', 'processes'], rows: rows.map(([what, cell]) => [what, cell.threads, cell.processes]) },
    },
  );
}
