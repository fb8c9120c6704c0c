import type { RunResult, StopReason } from '../../model/lab-types.js';
import type { OutputLine } from '../../model/output-log.js';
import { stripLines, taskStrip } from '../../model/task-strip.js';
import type { CommandMeasure } from '../command-run.js';
import { estimateForCores } from '../core-calculator.js';
import { type GridProgramSpec, engineCommand } from '../engine-command.js';
import { type DistributedEngine, type FoundEngine, engineLine, findEngine } from '../engine-runtime.js';
import type { ExperimentContext } from '../experiment.js';
import { type GridEvent, GridProgress, LineSplitter, parseGridLine, tallyGrid } from '../grid-events.js';
import { workloadPath } from '../launch-workload.js';
import { perCoreBusy } from '../run-results.js';

/** Long enough to watch, and to kill a worker from the table before the grid is done. */
export const ENGINE_TASK_MS = 200;
const DEFAULT_GRID = [5, 5, 5];
/** Narrow enough for the lab panel beside the process table. */
const STRIP_COLUMNS = 32;
/** Lines of the engine's own output kept, to say why a run ended early. */
const TAIL_LINES = 20;

export interface GridEngineOutcome {
  engine: DistributedEngine;
  found: FoundEngine;
  spec: GridProgramSpec;
  events: GridEvent[];
  /** The program's start, epoch seconds. */
  startedAt: number;
  measured: CommandMeasure;
  exit: { code: number | null; signal: string | null } | null;
  /** The engine's own output, last lines (mpirun says there why it ended a job). */
  tail: string[];
  stoppedBy: StopReason;
  pricePerCoreHour: number | null;
}

/** Why an MPI job or a Dask run ended before its grid was done, in the engine's words where it gave them. */
export function whyItEnded(outcome: Pick<GridEngineOutcome, 'engine' | 'exit' | 'tail' | 'events'>): string {
  const errors = outcome.events.flatMap((event) => (event.event === 'error' ? [event.message] : []));
  if (errors.length > 0) return errors.join('; ');
  const noticed = outcome.tail.find((line) => /mpirun noticed|exited on signal|has exited due to/i.test(line));
  const how = outcome.exit?.signal
    ? `killed by ${outcome.exit.signal}`
    : `exited with code ${outcome.exit?.code ?? '?'}`;
  if (outcome.engine === 'mpi')
    return `${noticed ? `${noticed.trim()} ` : ''}mpirun ${how}: when one rank dies, MPI ends the whole job.`;
  return `the program ${how}${outcome.tail.length > 0 ? `: ${outcome.tail.at(-1)?.trim()}` : ''}`;
}

function seconds(value: number): string {
  return value.toFixed(2);
}

/** What a grid on an engine did, beside what the calculator predicted for as many cores. Pure. */
export function gridEngineResult(scenario: { id: string; title: string }, outcome: GridEngineOutcome): RunResult {
  const { spec, measured } = outcome;
  const tally = tallyGrid(outcome.events, outcome.startedAt);
  const total = spec.grid.reduce((product, size) => product * size, 1);
  const taskSeconds = spec.taskMs / 1000;
  // A remote cluster has as many workers as it has; ours has as many as were asked for.
  const workers = spec.scheduler ? Math.max(1, tally.workers.length) : spec.workers;
  const serialEstimate = total * taskSeconds;
  const complete = tally.tasks.length === total && tally.wallSeconds !== null;
  const wall = tally.wallSeconds;
  const speedup = complete && wall && wall > 0 ? serialEstimate / wall : null;
  const predicted = estimateForCores({
    tasks: total,
    taskSeconds,
    cores: workers,
    pricePerCoreHour: outcome.pricePerCoreHour,
  });
  const measuredCost =
    outcome.pricePerCoreHour !== null && wall !== null ? (workers * wall * outcome.pricePerCoreHour) / 3600 : null;
  const rounds = Math.max(0, ...tally.workers.map((worker) => worker.tasks));
  const engineName = outcome.engine === 'dask' ? 'Dask' : 'MPI';
  const summary = complete
    ? `${total} fits of ${spec.taskMs} ms on ${workers} ${engineName} worker${workers === 1 ? '' : 's'}: ` +
      `${seconds(wall ?? 0)} s, ${speedup?.toFixed(2)}x the serial estimate of ${seconds(serialEstimate)} s ` +
      `(calculator: ${seconds(predicted.runtimeSeconds)} s in ${predicted.rounds} rounds). ` +
      `Best: (${tally.best?.join(', ') ?? '?'}).`
    : outcome.stoppedBy === 'asked'
      ? `Stopped after ${tally.tasks.length} of ${total} fits.`
      : `${tally.tasks.length} of ${total} fits done, then ${whyItEnded(outcome)}`;
  const strip = taskStrip(tally.spans, wall ?? Math.max(0, ...tally.spans.map((span) => span.end)), STRIP_COLUMNS);
  const cost = (value: number | null): string => (value === null ? '-' : value.toFixed(4));
  const lines = [
    engineLine(outcome.found),
    ...(outcome.spec.scheduler ? [`Scheduler: ${outcome.spec.scheduler}`] : []),
    ...(tally.startupSeconds === null
      ? []
      : [`Start-up (cluster and connection): ${seconds(tally.startupSeconds)} s.`]),
    `Calculator for ${workers} cores: ${predicted.rounds} rounds, ${seconds(predicted.runtimeSeconds)} s` +
      `${predicted.cost === null ? '' : `, ${cost(predicted.cost)} at ${outcome.pricePerCoreHour} per core-hour`}; ` +
      `measured: ${wall === null ? 'not finished' : `${seconds(wall)} s`}, at most ${rounds} tasks on one worker` +
      `${measuredCost === null ? '' : `, ${cost(measuredCost)}`}.`,
    ...(tally.rerun.length > 0
      ? [
          `Rerun after their worker died: task${tally.rerun.length === 1 ? '' : 's'} ${tally.rerun.join(', ')} ` +
            '(x in the chart: lost with the worker).',
        ]
      : []),
    ...(tally.duplicates.length > 0 ? [`Reported done twice: ${tally.duplicates.join(', ')}.`] : []),
    'Tasks over time per worker (host PID, then tasks done):',
    ...stripLines(strip),
  ];
  const coresUsed =
    measured.cpuSeconds !== null && measured.wallSeconds > 0 ? measured.cpuSeconds / measured.wallSeconds : null;
  return {
    scenarioId: scenario.id,
    title: `Grid search on ${engineName}`,
    kind: 'processes',
    workers,
    wallSeconds: wall ?? measured.wallSeconds,
    cpuSeconds: measured.cpuSeconds,
    coresUsed,
    units: 0,
    unitsPerSecond: 0,
    perCore: perCoreBusy(measured.coresBefore, measured.coresAfter),
    speedup,
    stoppedBy: complete ? 'finished' : outcome.stoppedBy === 'asked' ? 'asked' : 'exited',
    perWorker: tally.workers.map((worker, index) => ({
      index: index + 1,
      pid: worker.pid,
      tid: null,
      name: `${worker.host} ${worker.pid}`,
      units: worker.tasks,
      cpuSeconds: null,
    })),
    joined: [],
    summary,
    lines,
    table: {
      columns: ['task', 'params', 'host', 'PID', 'start s', 'end s', 'runs'],
      rows: tally.tasks.map((task) => [
        task.task,
        task.params.join(','),
        task.host,
        task.pid,
        seconds(task.start),
        seconds(task.end),
        task.starts,
      ]),
    },
    chart: {
      kind: 'bar',
      title: 'tasks per worker',
      labels: tally.workers.map((worker) => String(worker.pid)),
      series: [{ title: 'tasks', values: tally.workers.map((worker) => worker.tasks) }],
    },
    expected: total,
    actual: tally.tasks.length,
    exit: outcome.exit ?? undefined,
    details: {
      engine: outcome.engine,
      python: outcome.found.python,
      engineVersion: outcome.found.version,
      scheduler: tally.engine?.scheduler ?? spec.scheduler ?? null,
      grid: spec.grid,
      tasks: total,
      taskMs: spec.taskMs,
      done: tally.tasks.length,
      duplicates: tally.duplicates,
      rerun: tally.rerun,
      serialEstimateSeconds: serialEstimate,
      gridSeconds: wall,
      startupSeconds: tally.startupSeconds,
      prediction: predicted,
      measuredCost,
      workersSeen: tally.workers,
      taskRecords: tally.tasks,
      processes: tally.processes,
      best: tally.best,
      reason: complete ? null : whyItEnded(outcome),
    },
  };
}

/** The grid on Dask or MPI: the task program under the engine, followed as a command's whole process tree. */
export async function gridEngineExperiment(context: ExperimentContext, engine: DistributedEngine): Promise<RunResult> {
  const { scenario, options } = context;
  const found = await findEngine(engine);
  if (!found.available) throw new Error(found.reason);
  const grid = options.grid ?? DEFAULT_GRID;
  const taskMs = options.taskMs ?? ENGINE_TASK_MS;
  const total = grid.reduce((product, size) => product * size, 1);
  const spec: GridProgramSpec = {
    engine,
    grid,
    taskMs,
    workers: options.workers,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    // Every task one after another, plus start-up: even one worker finishes within it.
    maxSeconds: Math.ceil(120 + (total * taskMs) / 1000),
  };
  const request = engineCommand(spec, {
    python: found.python,
    program: workloadPath('python-grid'),
    mpirun: found.mpirun,
    ...(options.hostfile ? { hostfile: options.hostfile } : {}),
    asRoot: process.getuid?.() === 0,
  });
  const events: GridEvent[] = [];
  const tail: string[] = [];
  const splitters = { out: new LineSplitter(), err: new LineSplitter() };
  const progress = new GridProgress(engine, total);
  const take = (line: string): void => {
    const event = parseGridLine(line);
    if (!event) {
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      return;
    }
    events.push(event);
    if (progress.take(event)) context.workerHosts([...progress.hosts]);
    if (event.event === 'done' || event.event === 'start') context.step(progress.line());
  };
  const onOutput = (stream: OutputLine['stream'], text: string): void => {
    for (const line of splitters[stream].push(text)) take(line);
  };
  context.step(`${engine}: starting ${engineLine(found)}`);
  const startedAt = Date.now() / 1000;
  const command = await context.startCommand(request, onOutput);
  const endedByItself = await context.untilFinished(command);
  const measured = command.measure();
  const stopped = await context.stopGroup(command);
  for (const line of [...splitters.out.flush(), ...splitters.err.flush()]) take(line);
  return gridEngineResult(scenario, {
    engine,
    found,
    spec,
    events,
    startedAt,
    measured,
    exit: command.exit,
    tail,
    stoppedBy: endedByItself ? 'finished' : stopped,
    pricePerCoreHour: options.pricePerCoreHour ?? null,
  });
}
