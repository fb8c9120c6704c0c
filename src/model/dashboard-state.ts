import type { CoreMap } from './core-map.js';
import type { HostsState } from './hosts-state.js';
import { initialHostsState } from './hosts-state.js';
import type {
  CommandOutput,
  EngineInfo,
  LabEngineKind,
  LabPage,
  PythonInfo,
  RunResult,
  RunSnapshot,
  ScenarioInfo,
} from './lab-types.js';
import type { ColumnKey } from './columns.js';
import type { SortOrder } from './process-table.js';
import type { ListCursor } from './selection.js';
import { EMPTY_CURSOR } from './selection.js';
import type { GpuSample, MachineFacts, ProcessSample, SystemSample, ThreadSample } from './types.js';

/** Everything the dashboard shows, as plain data. The reducer makes new states; views only read them. */

/** The process a kill dialog is about: enough to re-identify it before any signal is sent. */
export interface KillTarget {
  pid: number;
  name: string;
  user: string;
  command: string;
  startToken: string;
}

/** The process, or one of its threads, an affinity dialog is about; re-identified by the process before pinning. */
export interface AffinityTarget {
  pid: number;
  /** One thread (the thread view); null for the whole process, every thread. */
  tid: number | null;
  name: string;
  user: string;
  startToken: string;
}

export type PromptPurpose = 'filter' | 'calc' | 'run';

export type Mode =
  | { kind: 'normal' }
  /**
   * A line being typed at the bottom: a filter (applied as it is typed), the core calculator, or a command to run (r).
   */
  | { kind: 'prompt'; purpose: PromptPurpose; draft: string }
  | { kind: 'kill'; target: KillTarget; signalIndex: number }
  /**
   * The cores a process or thread may run on (a): one checkbox per core, `chosen` null until its
   * current affinity has been read; `cursor` is an index into `cores`.
   */
  | { kind: 'affinity'; target: AffinityTarget; cores: number[]; chosen: number[] | null; cursor: number }
  /** The help screen, scrolled down by this many lines (it may be taller than the terminal). */
  | { kind: 'help'; scroll: number };

export interface ThreadPanel {
  pid: number;
  name: string;
  /** null until the first reading, or after the process has gone */
  threads: ThreadSample[] | null;
  exited: boolean;
  cursor: ListCursor;
}

export interface StatusMessage {
  text: string;
  tone: 'info' | 'error';
  /** ms since the epoch after which it is no longer shown */
  until: number;
}

/** Where a replay (paratop replay FILE) is in its recording: the footer's time line. */
export interface ReplayState {
  /** The recording's file name, as given. */
  file: string;
  /** The sample shown, from 0; -1 before the first. */
  position: number;
  samples: number;
  /** ms from the recording's first sample to the one shown, and to its last. */
  atMs: number;
  lengthMs: number;
  /** Playback speed: 1 is as fast as it was recorded. */
  speed: number;
  /** The last sample has been shown. */
  ended: boolean;
}

/** The speeds a replay steps through (+ - [ ]). */
export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32];

export interface LabState {
  visible: boolean;
  scenarios: readonly ScenarioInfo[];
  cores: number;
  /** Worker count each scenario starts with next (changed by [ ] c m). */
  workers: Readonly<Record<string, number>>;
  /** The scenario the worker-count keys act on: the running one, else the last started. */
  focusId: string | null;
  run: RunSnapshot | null;
  result: RunResult | null;
  /** Why the last start failed, if it did. */
  error: string | null;
  /** Which page of experiments the digits start (Tab turns). */
  page: LabPage;
  /** Whether the Python experiments can run here; null until python3 has been looked for. */
  python: PythonInfo | null;
  /** Whether Dask and MPI can run here; an engine is missing until it has been looked for. */
  engines: Partial<Record<LabEngineKind, EngineInfo>>;
  /** The core calculator's last question and answer (=). */
  calcInput: string;
  calcAnswer: string | null;
  /** The last command line typed at the r prompt. */
  commandInput: string;
  /** What the latest command printed (kept after it ends); null before any ran. */
  output: CommandOutput | null;
  /** Where the running experiment's threads ran (the core map's data), for the panel's reading; null between runs. */
  map: CoreMap | null;
}

export interface DashboardState {
  size: { cols: number; rows: number };
  /** How far the help screen can scroll at this size (measured by the view, passed in with the size). */
  helpScrollLimit: number;
  /** How often the meters are read, and a frame drawn. */
  intervalMs: number;
  /** How often the process list is re-read (its own, slower cadence); the meters' interval if that is longer. */
  processIntervalMs: number;
  paused: boolean;
  readOnly: boolean;
  selfPid: number;
  /** paratop's own CPU use, % of one core */
  selfCpu: number | null;
  samplerKind: string;
  hasThreads: boolean;
  facts: MachineFacts | null;
  /** Reading the machine facts failed; the dashboard works on without them. */
  factsFailed: boolean;
  system: SystemSample | null;
  /** Online cores by number; known before the first reading so the meters can be laid out. */
  coreIds: number[];
  /** Busy % per core, oldest first, for the meters' history. */
  coreHistory: number[][];
  /** The GPUs as their source last read them; empty on a machine without one (no meters, no columns). */
  gpus: GpuSample[];
  /** Utilisation % per GPU (in `gpus` order), oldest first, for the GPU meters' history. */
  gpuHistory: number[][];
  processes: ProcessSample[];
  /** Readings that arrived while the list was frozen (kill or affinity dialog open); applied when it closes. */
  heldProcesses: ProcessSample[] | null;
  order: SortOrder;
  filter: string;
  tree: boolean;
  cursor: ListCursor;
  threadPanel: ThreadPanel | null;
  mode: Mode;
  status: StatusMessage | null;
  lab: LabState;
  /** The last experiment's table and chart fill the table area (v). */
  resultsOpen: boolean;
  /** The latest command's output fills the table area (o). */
  outputOpen: boolean;
  /** Lines scrolled back from the end of the output; 0 follows new output as it comes. */
  outputScroll: number;
  /** The CORE and WAIT% columns (e): shown, hidden, or null for "while the lab runs". */
  schedulingColumns: boolean | null;
  /** Columns the settings file hides (never CORE or WAIT%, which follow schedulingColumns). */
  hiddenColumns: readonly ColumnKey[];
  /** The settings file in use, in words, for the help screen. */
  settingsLabel: string;
  /** The core map (g): who ran on which core, slice by slice; null while it is closed. */
  coreMap: CoreMap | null;
  /** Other hosts (--hosts, --prometheus); null when paratop watches only this machine. */
  hosts: HostsState | null;
  /** A replay of a recording: nothing here is live, and nothing can be signalled, pinned or started. */
  replay: ReplayState | null;
  /** ms since the epoch, as of the last event */
  now: number;
}

export interface InitialSettings {
  size: { cols: number; rows: number };
  /**
   * How far the help screen can scroll at this size: its text wrapped to the box, which only the view
   * can measure, so the app passes it in with the size.
   */
  helpScrollLimit: number;
  intervalMs: number;
  processIntervalMs: number;
  readOnly: boolean;
  selfPid: number;
  samplerKind: string;
  hasThreads: boolean;
  coreIds: number[];
  order: SortOrder;
  filter: string;
  tree: boolean;
  now: number;
  lab: { scenarios: readonly ScenarioInfo[]; cores: number; workers: Record<string, number>; visible: boolean };
  /** Other hosts to show: where they come from (in words), and when a scrape counts as slow. */
  hosts?: { label: string; slowMs: number } | null;
  hiddenColumns?: readonly ColumnKey[];
  schedulingColumns?: boolean | null;
  settingsLabel?: string;
  /** A replay of this file, with this many samples over this long. */
  replay?: { file: string; samples: number; lengthMs: number } | null;
}

/** What the samplers have given, before any reading: a replay stepping back starts from here again. */
export function noReadings(): Pick<
  DashboardState,
  'system' | 'coreHistory' | 'gpus' | 'gpuHistory' | 'processes' | 'heldProcesses'
> {
  return { system: null, coreHistory: [], gpus: [], gpuHistory: [], processes: [], heldProcesses: null };
}

export function initialState(settings: InitialSettings): DashboardState {
  const { hosts, hiddenColumns, schedulingColumns, settingsLabel, replay, ...rest } = settings;
  return {
    ...rest,
    hosts: hosts ? initialHostsState(hosts.label, hosts.slowMs) : null,
    replay: replay ? { ...replay, position: -1, atMs: 0, speed: 1, ended: false } : null,
    coreMap: null,
    schedulingColumns: schedulingColumns ?? null,
    hiddenColumns: hiddenColumns ?? [],
    settingsLabel: settingsLabel ?? 'none',
    lab: {
      ...rest.lab,
      focusId: null,
      run: null,
      result: null,
      error: null,
      page: 1,
      python: null,
      engines: {},
      calcInput: '125 70 20m',
      calcAnswer: null,
      commandInput: '',
      output: null,
      map: null,
    },
    resultsOpen: false,
    outputOpen: false,
    outputScroll: 0,
    paused: false,
    selfCpu: null,
    facts: null,
    factsFailed: false,
    ...noReadings(),
    cursor: EMPTY_CURSOR,
    threadPanel: null,
    mode: { kind: 'normal' },
    status: null,
  };
}

/** The filter in force: while the user types one, what they have typed so far. */
export function activeFilter(state: DashboardState): string {
  return state.mode.kind === 'prompt' && state.mode.purpose === 'filter' ? state.mode.draft : state.filter;
}
