import type { ScenarioDefinition } from './scenarios.js';
import type { RunResult } from '../model/lab-types.js';
import type { CacheLevel } from '../model/types.js';
import type { CommandRequest } from './command-line.js';
import type { CommandRun } from './command-run.js';
import type { GridEngine } from './engine-runtime.js';
import type { OutputLine } from '../model/output-log.js';
import type { LiveGroup } from './live-group.js';
import type { CpuAffinity } from '../sampler/cpu-affinity.js';
import type { TaskProbe } from '../sampler/task-probe.js';
import type { GroupOptions, WorkloadGroup } from './workload-group.js';

/** Each piece of a command's output as it arrives. */
export type CommandOutputListener = (stream: OutputLine['stream'], text: string) => void;

/** How a run was asked for: the worker count, and settings some experiments take. */
export interface StartOptions {
  workers: number;
  /** threads-join: each worker's share of the job, in seconds of one core; others: seconds per step. */
  jobSeconds?: number;
  /** race: increments per thread; lost-results, queue-results: results per worker. */
  count?: number;
  /** fork-memory: size of the data set, MB; memory-hierarchy: the largest working set, MB. */
  megabytes?: number;
  /** grid-search: the grid, e.g. [5, 5, 5]. */
  grid?: number[];
  /** grid-search: one task's work, ms. */
  taskMs?: number;
  /** grid-search: what runs the tasks (its own pool by default, or a distributed engine). */
  engine?: GridEngine;
  /** grid-search on Dask: the user's scheduler (tcp://HOST:PORT); none starts a local cluster. */
  scheduler?: string;
  /** grid-search on MPI: mpirun's host file. */
  hostfile?: string;
  /** grid-search: what one core costs per hour, for the calculator's prediction. */
  pricePerCoreHour?: number;
  /** gpu-cores: the side of the square matrices multiplied. */
  matrixSize?: number;
  /** command: the user's program. */
  command?: CommandRequest;
}

/** What an experiment may do: start groups of workers (tracked and cleaned up for it), say what step it is on, wait. */
export interface ExperimentContext {
  readonly scenario: ScenarioDefinition;
  readonly options: StartOptions;
  readonly cores: number;
  readonly probe: TaskProbe;
  /** Reads and sets which cores a task may run on (the pinned experiment). */
  readonly affinity: CpuAffinity;
  /** Aborted when the user stops the run. */
  readonly signal: AbortSignal;
  startGroup(options: GroupOptions): Promise<WorkloadGroup>;
  /** Start the user's command and follow its process tree (tracked and cleaned up like a group). */
  startCommand(request: CommandRequest, onOutput?: CommandOutputListener): Promise<CommandRun>;
  /** Stop a group in stages and forget it. */
  stopGroup(group: LiveGroup): Promise<RunResult['stoppedBy']>;
  step(text: string | null): void;
  /** The hosts the run's workers are on, for the hosts view (grid-search on an engine). */
  workerHosts(hosts: readonly string[]): void;
  /** Wait; resolves false at once if the run is stopped. */
  sleep(ms: number): Promise<boolean>;
  /** Wait for a group to finish by itself; false if the run was stopped first. */
  untilFinished(group: { readonly finished: Promise<void> }): Promise<boolean>;
  /** Work per second of one worker in this scenario, from an earlier run in this session. */
  baseline: { get(): number | null; set(unitsPerSecond: number): void };
  /** The caches as the OS reports them (read once, on first use). */
  reportedCaches(): CacheLevel[];
}

export type Experiment = (context: ExperimentContext) => Promise<RunResult>;
