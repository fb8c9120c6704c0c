import { setTimeout as sleep } from 'node:timers/promises';
import { SCENARIOS, type ScenarioDefinition, findScenario } from '../../lab/scenarios.js';
import type { StartOptions } from '../../lab/experiment.js';
import { LabEngine } from '../../lab/lab-engine.js';
import { python } from '../../lab/python-runtime.js';
import { ENGINE_PACKAGES, type FoundEngine, engineLine, findEngine, gridEngineOf } from '../../lab/engine-runtime.js';
import { defaultWorkers, workerCountProblem, workerLimit } from '../../lab/worker-counts.js';
import { formatRate } from '../../model/format.js';
import type { GridEngine, RunResult } from '../../model/lab-types.js';
import { tableText } from '../../model/result-table.js';
import { secondsLeft } from '../../model/progress-line.js';
import { csvLine } from '../output/csv.js';
import { startProgress } from '../output/progress.js';
import { writeOut } from '../output/write-out.js';
import { UsageError } from '../usage-error.js';
import { HeadlessRecorder } from '../../app/headless-recorder.js';
import { createTaskProbe } from '../../sampler/create-probes.js';
import type { Sampler } from '../../sampler/sampler.js';
import { openRecording } from './record.js';

export async function runLabList(options: { json?: boolean }, cores: number): Promise<void> {
  const found = await python();
  const engines = { dask: await findEngine('dask'), mpi: await findEngine('mpi'), gpu: await findEngine('gpu') };
  const missing = (scenario: ScenarioDefinition): string | null => {
    if (scenario.engine) {
      const engine = engines[scenario.engine];
      return engine.available ? null : engine.reason;
    }
    return scenario.runtime === 'python' && !found.available ? found.reason : null;
  };
  const entries = SCENARIOS.map((scenario) => ({
    id: scenario.id,
    key: scenario.key,
    page: scenario.page,
    title: scenario.title,
    kind: scenario.kind,
    runtime: scenario.runtime,
    available: missing(scenario) === null,
    reason: missing(scenario),
    ...(scenario.engine && engines[scenario.engine].available
      ? { engine: engineLine(engines[scenario.engine] as FoundEngine) }
      : {}),
    ...(scenario.runtime === 'python' && !scenario.engine && found.available
      ? { python: found.version, freeThreaded: found.freeThreaded }
      : {}),
    defaultWorkers: defaultWorkers(scenario, cores),
    fixedWorkers: scenario.fixedWorkers ?? null,
    maxWorkers: scenario.fixedWorkers ?? workerLimit(scenario, cores),
    finite: scenario.finite,
    lecture: scenario.lecture,
    lookFor: scenario.lookFor,
    simulation: scenario.simulation ?? null,
  }));
  if (options.json) {
    await writeOut(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  const idWidth = Math.max(...entries.map((entry) => entry.id.length));
  const lines = entries.map(
    (entry) =>
      `${entry.page}:${entry.key}  ${entry.id.padEnd(idWidth)}  ` +
      `${entry.kind.padEnd(9)}  ${String(entry.defaultWorkers).padStart(2)} ` +
      `worker${entry.defaultWorkers === 1 ? ' ' : 's'}  ${entry.title} (${entry.lecture})` +
      (entry.reason ? ` [unavailable: ${entry.reason}]` : ''),
  );
  await writeOut(`${[`${'KEY  ID'.padEnd(idWidth + 6)}  KIND       WORKERS     WHAT`, ...lines].join('\n')}\n`);
}

export interface LabRunFlags {
  workers?: number;
  seconds?: number;
  count?: number;
  megabytes?: number;
  grid?: number[];
  taskMs?: number;
  engine?: GridEngine;
  scheduler?: string;
  hostfile?: string;
  pricePerCoreHour?: number;
  size?: number;
  json?: boolean;
  /** Write the run to this recording file (gzip when it ends in .gz). */
  record?: string;
}

const GRID_IDS = ['grid-search', 'grid-dask', 'grid-mpi'];

/** Settings only some experiments take, and which ones. */
const SCOPED: { flag: string; key: keyof LabRunFlags; ids: string[] }[] = [
  {
    flag: '--count',
    key: 'count',
    ids: ['race', 'race-fixed', 'lost-results', 'queue-results', 'py-race', 'py-lost-results', 'py-queue-results'],
  },
  {
    flag: '--megabytes',
    key: 'megabytes',
    ids: ['fork-memory', 'py-fork-memory', 'memory-hierarchy', 'cache-sharing'],
  },
  { flag: '--grid', key: 'grid', ids: GRID_IDS },
  { flag: '--task-ms', key: 'taskMs', ids: GRID_IDS },
  { flag: '--engine', key: 'engine', ids: ['grid-search'] },
  { flag: '--scheduler', key: 'scheduler', ids: ['grid-search', 'grid-dask'] },
  { flag: '--hostfile', key: 'hostfile', ids: ['grid-search', 'grid-mpi'] },
  { flag: '--price-per-core-hour', key: 'pricePerCoreHour', ids: ['grid-search', 'grid-dask', 'grid-mpi'] },
  { flag: '--size', key: 'size', ids: ['gpu-cores'] },
];

/** How long to let an experiment that runs until stopped run, when --seconds is not given. */
const DEFAULT_RUN_SECONDS = 5;

function resultText(result: RunResult): string {
  const lines = [`${result.title} (${result.scenarioId}): ${result.summary}`];
  for (const line of result.lines ?? []) lines.push(`  ${line}`);
  if (result.units > 0) {
    lines.push(
      `  wall ${result.wallSeconds.toFixed(2)} s · CPU ` +
        `${result.cpuSeconds?.toFixed(2) ?? '?'} s · cores used ` +
        `${result.coresUsed?.toFixed(2) ?? '?'} · ` +
        `${formatRate(result.unitsPerSecond)} work units/s · stopped: ${result.stoppedBy}`,
    );
    if (result.perCore)
      lines.push(`  per core: ${result.perCore.map((core) => `${core.id} ${core.busy.toFixed(0)}%`).join(' · ')}`);
  }
  if (result.table) {
    for (const line of tableText(result.table)) lines.push(`  ${line}`);
  } else if (result.perWorker.length > 0) {
    lines.push(
      `  ${'worker'.padEnd(16)} ${'PID'.padStart(7)} ${'TID'.padStart(7)} ` +
        `${'units'.padStart(7)} ${'CPU s'.padStart(7)}`,
    );
    for (const worker of result.perWorker) {
      lines.push(
        `  ${worker.name.padEnd(16)} ${String(worker.pid).padStart(7)} ` +
          `${String(worker.tid ?? '-').padStart(7)} ` +
          `${formatRate(worker.units).padStart(7)} ${(worker.cpuSeconds?.toFixed(2) ?? '-').padStart(7)}`,
      );
    }
  }
  for (const joined of result.joined)
    lines.push(`  joined thread ${joined.index}: ${joined.argument} throws -> ${joined.result} hits`);
  return `${lines.join('\n')}\n`;
}

/** Every mistake in the request, found before anything starts. */
async function checkRequest(
  id: string,
  flags: LabRunFlags,
  cores: number,
): Promise<{ scenario: ScenarioDefinition; workers: number }> {
  const scenario = findScenario(id);
  if (!scenario)
    throw new UsageError(`unknown scenario "${id}". Scenarios: ${SCENARIOS.map((entry) => entry.id).join(', ')}.`);
  for (const { flag, key, ids } of SCOPED) {
    if (flags[key] !== undefined && !ids.includes(scenario.id))
      throw new UsageError(`${flag} applies to ${ids.join(', ')}; not to ${scenario.id}.`);
  }
  const workers = flags.workers ?? defaultWorkers(scenario, cores);
  const problem = workerCountProblem(scenario, workers, cores);
  if (problem) throw new UsageError(problem);
  const engine = scenario.procedure === 'grid-search' ? gridEngineOf(scenario, flags) : 'local';
  if (flags.scheduler !== undefined && engine !== 'dask')
    throw new UsageError(`--scheduler is Dask's: give --engine dask with it (the engine here is ${engine}).`);
  if (flags.hostfile !== undefined && engine !== 'mpi')
    throw new UsageError(`--hostfile is mpirun's: give --engine mpi with it (the engine here is ${engine}).`);
  if (flags.pricePerCoreHour !== undefined && engine === 'local')
    throw new UsageError('--price-per-core-hour is for grid-search on an engine: give --engine dask or mpi with it.');
  if (engine !== 'local') {
    const found = await findEngine(engine);
    if (!found.available)
      throw new UsageError(`${scenario.id} on ${engine} needs ${ENGINE_PACKAGES[engine].title}: ${found.reason}.`);
  } else if (scenario.engine === 'gpu') {
    const found = await findEngine('gpu');
    if (!found.available) throw new UsageError(`${scenario.id} needs ${ENGINE_PACKAGES.gpu.title}: ${found.reason}.`);
  } else if (scenario.runtime === 'python') {
    const found = await python();
    if (!found.available) throw new UsageError(`${scenario.id} runs real Python, and ${found.reason}.`);
  }
  return { scenario, workers };
}

/**
 * Run one experiment without a screen until it ends (or, if it runs until stopped, for `seconds`),
 * or until Ctrl-C, SIGTERM or SIGHUP; nothing it started is left running on any of those paths.
 */
export async function runHeadless(
  scenario: ScenarioDefinition,
  options: StartOptions,
  cores: number,
  seconds = DEFAULT_RUN_SECONDS,
  recorder: HeadlessRecorder | null = null,
): Promise<RunResult> {
  const engine: LabEngine = new LabEngine({
    cores,
    onChange: () => recorder?.lab(engine.snapshot(), engine.lastResult),
  });
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, interrupt);
  const planned = scenario.finite ? null : seconds;
  const progress = await startProgress(() => {
    const run = engine.snapshot();
    return (
      run && {
        what: run.title,
        step: run.step,
        elapsedSeconds: run.elapsedSeconds,
        leftSeconds: secondsLeft(run.elapsedSeconds, run.step, planned),
      }
    );
  });
  try {
    await recorder?.start();
    await engine.start(scenario.id, options);
    const stopped = new Promise((resolve) => interrupted.signal.addEventListener('abort', resolve));
    if (scenario.finite) await Promise.race([engine.whenDone(), stopped]);
    else await sleep(seconds * 1000, undefined, { signal: interrupted.signal }).catch(() => undefined);
    const result = (await engine.stop()) ?? engine.lastResult;
    if (!result) throw new Error('the run left no result');
    recorder?.lab(null, result);
    return result;
  } finally {
    progress.stop();
    engine.killNow();
    await recorder?.stop();
    for (const signal of signals) process.off(signal, interrupt);
  }
}

/** Run one experiment without a screen and print what it measured. Refuses bad input before starting anything. */
export async function runLabRun(
  id: string,
  flags: LabRunFlags,
  cores: number,
  sampler: Sampler | null = null,
): Promise<number> {
  const { scenario, workers } = await checkRequest(id, flags, cores);
  // Checked with the rest, before anything starts: a file that cannot be written is a usage mistake.
  const recorder =
    flags.record && sampler
      ? new HeadlessRecorder(openRecording(flags.record, sampler, 1, 'lab'), sampler, 1000, createTaskProbe())
      : null;
  const options: StartOptions = {
    workers,
    ...(flags.seconds !== undefined ? { jobSeconds: flags.seconds } : {}),
    ...(flags.count !== undefined ? { count: flags.count } : {}),
    ...(flags.megabytes !== undefined ? { megabytes: flags.megabytes } : {}),
    ...(flags.grid !== undefined ? { grid: flags.grid } : {}),
    ...(flags.taskMs !== undefined ? { taskMs: flags.taskMs } : {}),
    ...(flags.engine !== undefined ? { engine: flags.engine } : {}),
    ...(flags.scheduler !== undefined ? { scheduler: flags.scheduler } : {}),
    ...(flags.hostfile !== undefined ? { hostfile: flags.hostfile } : {}),
    ...(flags.pricePerCoreHour !== undefined ? { pricePerCoreHour: flags.pricePerCoreHour } : {}),
    ...(flags.size !== undefined ? { matrixSize: flags.size } : {}),
  };
  const result = await runHeadless(scenario, options, cores, flags.seconds, recorder);
  await writeOut(flags.json ? `${JSON.stringify(result, null, 2)}\n` : resultText(result));
  return result.stoppedBy === 'exited' ? 1 : 0;
}

/** `paratop lab compare`: every runtime comparison kept so far. */
export async function runLabCompare(format: 'text' | 'json' | 'csv'): Promise<void> {
  const { compareHistoryFile, readCompareHistory } = await import('../../lab/compare-history.js');
  const entries = readCompareHistory();
  if (format === 'json') {
    await writeOut(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  const rows = entries.flatMap((entry) =>
    entry.rows.map((row) => ({ takenAt: entry.takenAt, cores: entry.cores, ...row })),
  );
  if (format === 'csv') {
    const header = csvLine([
      'taken_at',
      'cores',
      'variant',
      'workers',
      'wall_seconds',
      'cpu_seconds',
      'cores_used',
      'speedup',
    ]);
    await writeOut(
      header +
        rows
          .map((row) =>
            csvLine([
              row.takenAt,
              row.cores,
              row.variant,
              row.workers,
              row.wallSeconds,
              row.cpuSeconds,
              row.coresUsed,
              row.speedup,
            ]),
          )
          .join(''),
    );
    return;
  }
  if (entries.length === 0) {
    await writeOut(
      `No comparisons yet (they are kept in ${compareHistoryFile()}). Run one: paratop lab run compare-runtimes\n`,
    );
    return;
  }
  const lines = rows.map(
    (row) =>
      `${row.takenAt.slice(0, 19).replace('T', ' ')}  ` +
      `${row.variant.padEnd(18)} ${String(row.workers).padStart(7)} ` +
      `${row.wallSeconds.toFixed(2).padStart(7)} ` +
      `${(row.cpuSeconds?.toFixed(2) ?? '-').padStart(7)} ` +
      `${(row.coresUsed?.toFixed(2) ?? '-').padStart(7)} ${(row.speedup?.toFixed(2) ?? '-').padStart(7)}`,
  );
  await writeOut(
    `${['when (UTC)           variant            workers  wall s   CPU s   cores speedup', ...lines].join('\n')}\n`,
  );
}
