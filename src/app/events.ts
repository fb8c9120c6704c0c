import type { CommandRequest } from '../lab/command-line.js';
import type { AffinityTarget, KillTarget } from '../model/dashboard-state.js';
import type {
  CommandOutput,
  EngineInfo,
  LabEngineKind,
  PythonInfo,
  RunResult,
  RunSnapshot,
} from '../model/lab-types.js';
import type { KillSignal } from '../model/signals.js';
import type { GpuSample, MachineFacts, ProcessSample, SystemSample, ThreadSample } from '../model/types.js';
import type { KeyPress } from '../model/key-press.js';
import type { HostSample } from '../model/host-sample.js';
import type { PlacedTask } from '../model/core-map.js';

/** Everything that can happen to the dashboard: one closed union, one reducer. */
export type DashboardEvent =
  | { type: 'system-sampled'; sample: SystemSample; selfCpu: number | null }
  | { type: 'processes-sampled'; processes: ProcessSample[] }
  /** The GPUs' latest figures (only where a GPU source exists). */
  | { type: 'gpus-sampled'; gpus: GpuSample[] }
  | { type: 'threads-sampled'; pid: number; threads: ThreadSample[] | null }
  | { type: 'facts-read'; facts: MachineFacts | null }
  | { type: 'key'; key: KeyPress }
  | { type: 'mouse-down'; x: number; y: number }
  | { type: 'wheel'; direction: 'up' | 'down' }
  /** The terminal's new size, and how far the help can scroll at it (the view measures that). */
  | { type: 'resize'; cols: number; rows: number; helpScrollLimit: number }
  | { type: 'notice'; text: string; ok: boolean; seconds?: number }
  | { type: 'lab-changed'; run: RunSnapshot | null; result: RunResult | null; output: CommandOutput | null }
  | { type: 'lab-failed'; message: string }
  | { type: 'python-found'; python: PythonInfo }
  | { type: 'engine-found'; engine: LabEngineKind; info: EngineInfo }
  /** `paratop run`: a command to start, already checked. */
  | { type: 'lab-command'; request: CommandRequest }
  /** A round of the other hosts (--hosts, --prometheus), started at `at` (ms since the epoch). */
  | { type: 'hosts-polled'; hosts: HostSample[]; at: number }
  /** Where the lab's threads are now, for the core map. */
  | { type: 'placements-sampled'; tasks: PlacedTask[] }
  /** The current affinity of the task an affinity dialog is about: its cores, or why they are unknown. */
  | { type: 'affinity-read'; pid: number; tid: number | null; cores: number[] | null; reason: string | null }
  /** A replay moved through its recording (played on, stepped, or reached the end). */
  | { type: 'replay-moved'; position: number; atMs: number; ended: boolean }
  | { type: 'tick' };

/** What the reducer asks the runtime to do in the world. */
export type Effect =
  | { type: 'send-signal'; target: KillTarget; signal: KillSignal }
  /** Read the cores a task may run on now, for the affinity dialog. */
  | { type: 'read-affinity'; pid: number; tid: number | null }
  | { type: 'set-affinity'; target: AffinityTarget; cores: number[] }
  | { type: 'timing-changed' }
  | { type: 'sample-threads'; pid: number }
  | { type: 'lab-start'; scenarioId: string; workers: number }
  | { type: 'lab-stop' }
  /** A command line typed at the r prompt: checked, then started as a run. */
  | { type: 'lab-run-command'; line: string }
  | { type: 'lab-start-command'; request: CommandRequest }
  /** The engines page is shown: look for Dask and MPI (once; each look starts Pythons). */
  | { type: 'find-engines' }
  /** Write the last run's trace (T). */
  | { type: 'export-trace' }
  /** A replay: show the sample `step` away from the one shown. */
  | { type: 'replay-seek'; step: 1 | -1 }
  | { type: 'quit' };
