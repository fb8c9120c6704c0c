import type { ScenarioDefinition } from '../scenarios.js';
import { COMMAND_RUN_ID, type RunResult, type StopReason } from '../../model/lab-types.js';
import type { CommandRequest } from '../command-line.js';
import type { CommandMeasure } from '../command-run.js';
import type { ExperimentContext } from '../experiment.js';
import { perCoreBusy } from '../run-results.js';

/** The user's own program as a run of the lab: not listed with the experiments, started by r or `paratop run`. */
export function commandScenario(request: CommandRequest): ScenarioDefinition {
  return {
    id: COMMAND_RUN_ID,
    key: 'r',
    page: 1,
    runtime: 'node',
    title: request.display,
    lecture: 'your own program, watched as the lecture watches 0.py in Activity Monitor',
    lookFor:
      'How many cores it keeps busy, and whether it does so with threads (one PID, ' +
      'many TIDs) or processes (many PIDs).',
    explanation:
      'Threads of one process share its memory and show as TIDs under one PID; ' +
      'processes each have their own PID and memory. CPU time over wall time says how ' +
      'many cores the program kept busy on average.',
    kind: 'processes',
    procedure: 'command',
    mode: 'idle',
    namePrefix: 'cmd',
    defaultWorkers: 1,
    fixedWorkers: 1,
    finite: true,
  };
}

export interface CommandOutcome {
  request: CommandRequest;
  measured: CommandMeasure;
  /** How the command itself ended; null if it was still running when the run was stopped. */
  exit: { code: number | null; signal: string | null } | null;
  /** Processes still running when the command ended, stopped with it (e.g. left in the background). */
  leftovers: number;
  stoppedBy: StopReason;
}

function howItEnded(outcome: CommandOutcome): string {
  const { exit, stoppedBy } = outcome;
  if (!exit) return 'still running when stopped';
  if (exit.signal) return stoppedBy === 'finished' ? `killed by ${exit.signal}` : `stopped (${exit.signal})`;
  return `exited with code ${exit.code ?? '?'}`;
}

/** What a command did, as a lab result: wall and CPU time, cores, its processes and threads. Pure. */
export function commandResult(outcome: CommandOutcome): RunResult {
  const { request, measured } = outcome;
  const coresUsed =
    measured.cpuSeconds !== null && measured.wallSeconds > 0 ? measured.cpuSeconds / measured.wallSeconds : null;
  const cores = coresUsed === null ? 'CPU time not measurable here' : `${coresUsed.toFixed(2)} cores busy on average`;
  const processes = (count: number): string => `${count} process${count === 1 ? '' : 'es'}`;
  const threads = `${measured.peakThreads} thread${measured.peakThreads === 1 ? '' : 's'}`;
  const summary =
    `${howItEnded(outcome)} after ${measured.wallSeconds.toFixed(1)} s: ${cores}; ` +
    `${processes(measured.processes.length)} in all, at most ` +
    `${processes(measured.peakProcesses)} and ${threads} at once.`;
  const lines: string[] = [];
  if (outcome.leftovers > 0) {
    lines.push(
      `${processes(outcome.leftovers)} it left running (in the background) ` +
        `${outcome.leftovers === 1 ? 'was' : 'were'} stopped with it.`,
    );
  }
  return {
    scenarioId: COMMAND_RUN_ID,
    title: request.display,
    kind: 'processes',
    workers: measured.processes.length,
    wallSeconds: measured.wallSeconds,
    cpuSeconds: measured.cpuSeconds,
    coresUsed,
    units: 0,
    unitsPerSecond: 0,
    perCore: perCoreBusy(measured.coresBefore, measured.coresAfter),
    speedup: null,
    stoppedBy: outcome.stoppedBy,
    perWorker: measured.processes.map((entry, index) => ({
      index: index + 1,
      pid: entry.pid,
      tid: entry.pid,
      name: entry.name,
      units: 0,
      cpuSeconds: entry.cpuSeconds,
    })),
    joined: [],
    summary,
    lines,
    table: {
      columns: ['PID', 'PPID', 'NAME', 'CPU s (last read)', 'THREADS (peak)', 'SEEN s'],
      rows: measured.processes.map((entry) => [
        entry.pid,
        entry.ppid,
        entry.name,
        entry.cpuSeconds === null ? '-' : entry.cpuSeconds.toFixed(2),
        entry.peakThreads,
        `${entry.firstSeen.toFixed(1)}-${entry.lastSeen.toFixed(1)}`,
      ]),
    },
    exit: outcome.exit ?? undefined,
    details: {
      command: request.argv,
      shell: request.shell,
      exitCode: outcome.exit?.code ?? null,
      signal: outcome.exit?.signal ?? null,
      peakProcesses: measured.peakProcesses,
      peakThreads: measured.peakThreads,
      leftovers: outcome.leftovers,
      processes: measured.processes,
    },
  };
}

/** Run the user's command until it ends by itself or is stopped, following everything it starts. */
export async function commandExperiment(context: ExperimentContext): Promise<RunResult> {
  const request = context.options.command;
  if (!request) throw new Error('the command experiment needs a command to run');
  const run = await context.startCommand(request);
  const endedByItself = await context.untilFinished(run);
  const measured = run.measure();
  const stopped = await context.stopGroup(run);
  return commandResult({
    request,
    measured,
    exit: run.exit,
    leftovers: run.leftovers,
    stoppedBy: endedByItself ? 'finished' : stopped,
  });
}
