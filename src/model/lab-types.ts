import type { OutputLine } from './output-log.js';

/** The lab's runs as plain data: what runs, and what a finished run measured. */

export type ScenarioKind = 'threads' | 'processes';

export type LabPage = 1 | 2 | 3 | 4 | 5;

/** Whether real Python can be used here: its version and GIL, or why not. */
export type PythonInfo =
  | { available: true; version: string; freeThreaded: boolean }
  | { available: false; reason: string };

/** Which Python ran, said plainly when it has no GIL: then the GIL lessons do not hold. */
export function pythonLine(python: { version: string; freeThreaded: boolean }): string {
  return python.freeThreaded
    ? `Python ${python.version}, a free-threaded build: it has no GIL, so pure-Python threads can use every core here.`
    : `Python ${python.version}, with its GIL.`;
}

/** What runs grid-search's fits: its own pool, or a distributed engine found on the machine. */
export const GRID_ENGINES = ['local', 'dask', 'mpi'] as const;
export type GridEngine = (typeof GRID_ENGINES)[number];

/** What a scenario needs besides python3: a distributed engine, or a GPU library (PyTorch or CuPy) and a GPU. */
export type LabEngineKind = 'dask' | 'mpi' | 'gpu';

const ENGINE_TITLES: Record<LabEngineKind, string> = { dask: 'Dask', mpi: 'MPI', gpu: 'a GPU and PyTorch or CuPy' };

/** Whether a distributed engine (Dask, MPI) can be used here: which Python has it, or why not and what to install. */
export type EngineInfo = { available: true; line: string } | { available: false; reason: string };

/**
 * Why a scenario cannot run here (its engine or python3 is missing), or null. An engine not yet
 * looked for is no reason: the start itself then says.
 */
export function unavailableReason(
  scenario: Pick<ScenarioInfo, 'runtime' | 'engine'>,
  python: PythonInfo | null,
  engines: Partial<Record<LabEngineKind, EngineInfo>>,
): string | null {
  if (scenario.engine) {
    const engine = engines[scenario.engine];
    return engine && !engine.available ? `needs ${ENGINE_TITLES[scenario.engine]}: ${engine.reason}` : null;
  }
  return scenario.runtime === 'python' && python && !python.available ? `needs python3: ${python.reason}` : null;
}

/** What the dashboard needs to know of a scenario: enough to list, start and explain it. */
export interface ScenarioInfo {
  id: string;
  /** The key that starts it in the dashboard, on its page of the lab panel (Tab turns pages). */
  key: string;
  page: LabPage;
  /** What runs the workers: paratop's own Node programs, or python3. */
  runtime: 'node' | 'python';
  /** Runs on what is found on the machine: a distributed engine (grid-search on Dask or MPI), or a GPU library. */
  engine?: LabEngineKind;
  title: string;
  /** The lecture step it reproduces. */
  lecture: string;
  /** What to look for while it runs. */
  lookFor: string;
  /** Why it behaves that way. */
  explanation: string;
  kind: ScenarioKind;
  /** Some experiments are about exactly one worker. */
  fixedWorkers?: number;
  /**
   * The most workers it may start, when not the cap for busy workers (4 x cores, at least 16): one
   * whose workers mostly wait can allow more.
   */
  maxWorkers?: number;
  /** Ends by itself (its workers finish and are joined) instead of running until stopped. */
  finite: boolean;
  /** Said plainly in the panel when the experiment imitates something Node does not have. */
  simulation?: string;
  /** The same in one short line, for a small panel: it is never left out. */
  simulationBrief?: string;
}

/** One worker of a run: a thread in a thread host, or a whole process. */
export interface WorkerState {
  index: number;
  pid: number;
  /** OS thread ID; for a process worker, its main thread (= PID). Null off Linux. */
  tid: number | null;
  name: string;
  /** Work units done so far. */
  units: number;
  /** CPU time since the run began, seconds (from /proc; null where unknown). */
  cpuSeconds: number | null;
  /** CPU use over the last second, % of one core. */
  cpu: number | null;
  /** Set when the worker's process ended before the run did (crashed, or killed from the table). */
  exit: string | null;
}

export type RunPhase = 'starting' | 'running' | 'stopping';

export interface RunSnapshot {
  scenarioId: string;
  title: string;
  kind: ScenarioKind;
  workers: number;
  phase: RunPhase;
  /** ms since the epoch */
  startedAt: number;
  /** The workload processes: one thread host, or one per worker. */
  pids: number[];
  /** The thread host's name (its main thread), for thread experiments. */
  hostName: string | null;
  /** For experiments of several steps, the one under way ("processes, 2 workers"). */
  step: string | null;
  /** Context switches per second of all the workers' threads, over the last second. */
  ctxPerSecond: number | null;
  workerStates: WorkerState[];
  elapsedSeconds: number;
  units: number;
  /** CPU of all workload processes together since the run began, in cores (1.0 = one core busy). */
  coresUsed: number | null;
  /** grid-search on an engine: the hosts its workers run on, lit in the hosts view. */
  workerHosts?: string[];
}

export type StopReason = 'finished' | 'asked' | 'terminated' | 'killed' | 'exited';

export interface CoreBusy {
  id: number;
  /** busy % of the core over the run (all processes on it, not only the workload) */
  busy: number;
}

export interface JoinedResult {
  index: number;
  argument: number;
  result: number;
}

/** A table of figures an experiment measured, for the results view and `lab run`. */
export interface ResultTable {
  columns: string[];
  rows: (string | number)[][];
}

/** A chart of an experiment's figures: bars (one value per label) or lines (values along x). */
export interface ResultChart {
  kind: 'bar' | 'line';
  title: string;
  labels: string[];
  series: { title: string; values: number[] }[];
  /** Line charts: points marked under the x axis, by label index (the reported cache sizes, say). */
  marks?: { index: number; text: string }[];
}

export interface RunResult {
  scenarioId: string;
  title: string;
  kind: ScenarioKind;
  workers: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  coresUsed: number | null;
  units: number;
  unitsPerSecond: number;
  perCore: CoreBusy[] | null;
  /** Work per second against this scenario with one worker, when a one-worker run is known. */
  speedup: number | null;
  stoppedBy: StopReason;
  perWorker: {
    index: number;
    pid: number;
    tid: number | null;
    name: string;
    units: number;
    cpuSeconds: number | null;
  }[];
  /** What joined threads returned (threads-join only). */
  joined: JoinedResult[];
  /** A one-line reading of the numbers, for people. */
  summary: string;
  /** More lines for people, after the summary. */
  lines?: string[];
  table?: ResultTable;
  chart?: ResultChart;
  /** Counts an experiment checks: increments or results expected, and what was there at the end. */
  expected?: number;
  actual?: number;
  /** Figures particular to one experiment (see docs/command-line.md), for scripts. */
  details?: Record<string, unknown>;
  /** A command run (`paratop run`, `lab exec`, r): how the command itself ended. */
  exit?: { code: number | null; signal: string | null };
}

/** The scenario id of a command run (paratop run, lab exec, r): the user's program, not an experiment. */
export const COMMAND_RUN_ID = 'command';

/** What a command run printed, for the output pane: kept after the command ends, until the next one. */
export interface CommandOutput {
  display: string;
  lines: OutputLine[];
  /** Lines printed in all, including those no longer kept. */
  total: number;
  running: boolean;
}

/** gpu-cores: large enough that the GPU's lead shows over its start-up, small enough for a laptop's CPU. */
export const DEFAULT_MATRIX_SIZE = 4096;
/** gpu-cores: the largest side `--size` takes (1 GiB per float32 matrix, and minutes on a CPU). */
export const MAX_MATRIX_SIZE = 16_384;
