import { setTimeout as sleep } from 'node:timers/promises';
import { SCENARIOS, findScenario } from '../../../scenarios/definitions.js';
import { LabEngine } from '../../lab/lab-engine.js';
import { defaultWorkers, workerCountProblem } from '../../lab/worker-counts.js';
import { formatRate } from '../../model/format.js';
import type { RunResult } from '../../model/lab-types.js';
import { UsageError } from '../usage-error.js';
import { writeOut } from '../output/write-out.js';

export async function runLabList(options: { json?: boolean }, cores: number): Promise<void> {
  const entries = SCENARIOS.map((scenario) => ({
    id: scenario.id,
    key: scenario.key,
    title: scenario.title,
    kind: scenario.kind,
    defaultWorkers: defaultWorkers(scenario, cores),
    fixedWorkers: scenario.fixedWorkers ?? null,
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
      `${entry.key}  ${entry.id.padEnd(idWidth)}  ${entry.kind.padEnd(9)}  ${String(entry.defaultWorkers).padStart(2)} worker${entry.defaultWorkers === 1 ? ' ' : 's'}  ${entry.title} (${entry.lecture})`,
  );
  await writeOut(`${['KEY  ID'.padEnd(idWidth + 5) + '  KIND       WORKERS     WHAT', ...lines].join('\n')}\n`);
}

export interface LabRunOptions {
  workers?: number;
  seconds: number;
  json?: boolean;
}

function resultText(result: RunResult): string {
  const lines = [
    `${result.title} (${result.scenarioId}): ${result.summary}`,
    `  wall ${result.wallSeconds.toFixed(2)} s · CPU ${result.cpuSeconds?.toFixed(2) ?? '?'} s · cores used ${result.coresUsed?.toFixed(2) ?? '?'} · ${formatRate(result.unitsPerSecond)} work units/s · stopped: ${result.stoppedBy}`,
  ];
  if (result.perCore) lines.push(`  per core: ${result.perCore.map((core) => `${core.id} ${core.busy.toFixed(0)}%`).join(' · ')}`);
  lines.push(`  ${'worker'.padEnd(16)} ${'PID'.padStart(7)} ${'TID'.padStart(7)} ${'units'.padStart(7)} ${'CPU s'.padStart(7)}`);
  for (const worker of result.perWorker) {
    lines.push(
      `  ${worker.name.padEnd(16)} ${String(worker.pid).padStart(7)} ${String(worker.tid ?? '-').padStart(7)} ${formatRate(worker.units).padStart(7)} ${(worker.cpuSeconds?.toFixed(2) ?? '-').padStart(7)}`,
    );
  }
  for (const joined of result.joined) lines.push(`  joined thread ${joined.index}: ${joined.argument} throws -> ${joined.result} hits`);
  return `${lines.join('\n')}\n`;
}

/** Run one scenario without a screen and print what it measured. Refuses bad input before starting anything. */
export async function runLabRun(id: string, options: LabRunOptions, cores: number): Promise<number> {
  const scenario = findScenario(id);
  if (!scenario) throw new UsageError(`unknown scenario "${id}". Scenarios: ${SCENARIOS.map((entry) => entry.id).join(', ')}.`);
  const workers = options.workers ?? defaultWorkers(scenario, cores);
  const problem = workerCountProblem(scenario, workers, cores);
  if (problem) throw new UsageError(problem);

  const engine = new LabEngine({ cores });
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, interrupt);
  try {
    await engine.start(scenario.id, { workers, jobSeconds: options.seconds });
    if (scenario.finite) {
      await Promise.race([engine.whenDone(), new Promise((resolve) => interrupted.signal.addEventListener('abort', resolve))]);
    } else {
      await sleep(options.seconds * 1000, undefined, { signal: interrupted.signal }).catch(() => undefined);
    }
    const result = (await engine.stop()) ?? engine.lastResult;
    if (!result) throw new Error('the run left no result');
    await writeOut(options.json ? `${JSON.stringify(result, null, 2)}\n` : resultText(result));
    return result.stoppedBy === 'exited' ? 1 : 0;
  } finally {
    engine.killNow();
    for (const signal of signals) process.off(signal, interrupt);
  }
}
