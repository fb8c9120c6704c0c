import type { RunSnapshot } from './lab-types.js';
import type { LabLine, Recording, SampleLine } from './recording.js';
import { printableUpTo } from './untrusted-text.js';

/**
 * A recording as a Chrome trace (the Trace Event Format that Perfetto and chrome://tracing open):
 * a track per core with the threads that ran there, a track per lab worker with its state, the
 * lab's events as markers, and each core's busy share as a counter. Pure.
 */

export interface TraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M' | 'C';
  /** microseconds from the recording's start */
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  /** instant events: g global, p process, t thread */
  s?: 'g' | 'p' | 't';
  cat?: string;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

/** The process of the core tracks, and of the worker tracks and the lab's markers. */
export const CORES_PID = 1;
export const WORKERS_PID = 2;
/** A core's track: tid = core number + 1 (a tid of 0 reads as "no thread" in some viewers). */
export const coreTid = (core: number): number => core + 1;
/** Names in a trace are bounded: a hostile thread name cannot fill the viewer. */
const MAX_NAME = 120;
/** Without placements, a thread counts as running on its core over an interval where it used this much CPU, %. */
const BUSY_PERCENT = 10;
/** The last slice of a series lasts as long as the one before it, or this long. */
const DEFAULT_SLICE_MS = 250;

/** Untrusted text (thread and process names) made inert for a viewer: no control characters, bounded. */
export function traceName(text: string): string {
  return printableUpTo(text, MAX_NAME);
}

interface Slice {
  /** ms since the epoch */
  from: number;
  to: number;
  name: string;
  args?: Record<string, unknown>;
}

/** Consecutive slices with the same name and no gap between them, as one. */
function merged(slices: readonly Slice[]): Slice[] {
  const out: Slice[] = [];
  for (const slice of slices) {
    const last = out.at(-1);
    if (last && last.name === slice.name && last.to >= slice.from) last.to = Math.max(last.to, slice.to);
    else out.push({ ...slice });
  }
  return out;
}

/** Per entry of a time series, how long it lasts: until the next, the last as long as the one before. */
function spans(times: readonly number[]): { from: number; to: number }[] {
  return times.map((from, index) => {
    const next = times[index + 1];
    const before = index > 0 ? from - (times[index - 1] ?? from) : DEFAULT_SLICE_MS;
    return { from, to: next ?? from + Math.min(Math.max(before, 1), 10 * DEFAULT_SLICE_MS) };
  });
}

interface Worker {
  tid: number;
  name: string;
  key: string;
}

export function recordingToTrace(recording: Recording): ChromeTrace {
  const entries = recording.entries;
  const started = Date.parse(recording.header.startedAt);
  const t0 = entries.reduce((least, entry) => Math.min(least, entry.at), Number.isFinite(started) ? started : Infinity);
  const origin = Number.isFinite(t0) ? t0 : 0;
  const us = (ms: number): number => Math.round((ms - origin) * 1000);
  const events: TraceEvent[] = [];
  const samples = entries.filter((entry) => entry.line.type === 'sample') as { at: number; line: SampleLine }[];
  const lab = entries.filter((entry) => entry.line.type === 'lab') as { at: number; line: LabLine }[];
  const placements = lab.filter((entry) => entry.line.event === 'placements') as {
    at: number;
    line: Extract<LabLine, { event: 'placements' }>;
  }[];
  const runs = lab.filter((entry) => entry.line.event === 'run') as {
    at: number;
    line: Extract<LabLine, { event: 'run' }>;
  }[];

  // Cores: the header's, and any a sample or a placement names.
  const cores = new Set<number>(recording.header.cores);
  for (const { line } of samples) for (const core of line.cores) cores.add(core.id);
  for (const { line } of placements) for (const task of line.tasks) if (task.cpu !== null) cores.add(task.cpu);

  // Workers, by pid/tid, in the order they first appear; named by the lab.
  const workers = new Map<string, Worker>();
  const workerOf = (key: string, name: string): Worker => {
    let worker = workers.get(key);
    if (!worker) {
      worker = { tid: workers.size + 1, name: traceName(name), key };
      workers.set(key, worker);
    }
    return worker;
  };
  for (const { line } of runs)
    for (const state of line.run.workerStates) workerOf(`${state.pid}/${state.tid ?? state.pid}`, state.name);

  const coreSlices = new Map<number, Slice[]>();
  const workerSlices = new Map<string, Slice[]>();
  const addSlice = <K>(map: Map<K, Slice[]>, key: K, slice: Slice): void => {
    const list = map.get(key) ?? [];
    list.push(slice);
    map.set(key, list);
  };

  if (placements.length > 0) {
    // The core map's looks: a task in state R on a core ran there until the next look.
    const times = spans(placements.map((entry) => entry.at));
    placements.forEach(({ line }, index) => {
      const span = times[index] ?? { from: 0, to: 0 };
      const onCore = new Set<number>();
      for (const task of line.tasks) {
        const worker = workerOf(task.key, task.label);
        const running = task.running && task.cpu !== null;
        const state = running ? 'running' : 'asleep or waiting';
        addSlice(workerSlices, task.key, { ...span, name: state, args: { core: task.cpu } });
        if (!running || task.cpu === null || onCore.has(task.cpu)) continue;
        onCore.add(task.cpu);
        addSlice(coreSlices, task.cpu, { ...span, name: worker.name, args: { task: task.key } });
      }
    });
  } else {
    // No placements (an older run, another platform): each sample's threads on their last core, when busy.
    const times = spans(samples.map((entry) => entry.at));
    samples.forEach(({ line }, index) => {
      const now = times[index] ?? { from: 0, to: 0 };
      const span = { from: now.from - line.intervalSeconds * 1000, to: now.from };
      const threads = line.threads ?? [];
      const tasks =
        threads.length > 0
          ? threads.map((thread) => ({ key: `${thread.pid}/${thread.tid}`, ...thread }))
          : line.processes
              .filter((process) => workers.has(`${process.pid}/${process.pid}`))
              .map((process) => ({ key: `${process.pid}/${process.pid}`, ...process }));
      // Threads that shared a core in the interval share its slice, one after another, by their CPU.
      const byCore = new Map<number, { name: string; cpu: number }[]>();
      for (const task of tasks) {
        if (task.cpu === null || task.cpu < BUSY_PERCENT || task.lastCpu === null) continue;
        const name = workers.get(task.key)?.name ?? traceName(task.name);
        byCore.set(task.lastCpu, [...(byCore.get(task.lastCpu) ?? []), { name, cpu: task.cpu }]);
      }
      const length = span.to - span.from;
      for (const [core, shares] of byCore) {
        const total = Math.max(
          100,
          shares.reduce((sum, share) => sum + share.cpu, 0),
        );
        let from = span.from;
        for (const share of shares.sort((a, b) => b.cpu - a.cpu)) {
          const to = from + (length * share.cpu) / total;
          addSlice(coreSlices, core, { from, to, name: share.name, args: { cpuPercent: share.cpu } });
          from = to;
        }
      }
    });
    // The workers' state from the lab's own figures, each second.
    const times2 = spans(runs.map((entry) => entry.at));
    runs.forEach(({ line }, index) => {
      const span = times2[index] ?? { from: 0, to: 0 };
      for (const state of line.run.workerStates) {
        const key = `${state.pid}/${state.tid ?? state.pid}`;
        const name = state.exit ? 'exited' : (state.cpu ?? 0) >= BUSY_PERCENT ? 'running' : 'idle';
        addSlice(workerSlices, key, { ...span, name, args: { cpuPercent: state.cpu, units: state.units } });
      }
    });
  }

  // Metadata: the two processes and every track, in order.
  events.push(
    { name: 'process_name', ph: 'M', ts: 0, pid: CORES_PID, tid: 0, args: { name: 'CPU cores (who ran where)' } },
    { name: 'process_sort_index', ph: 'M', ts: 0, pid: CORES_PID, tid: 0, args: { sort_index: 1 } },
    { name: 'process_name', ph: 'M', ts: 0, pid: WORKERS_PID, tid: 0, args: { name: 'Lab workers and events' } },
    { name: 'process_sort_index', ph: 'M', ts: 0, pid: WORKERS_PID, tid: 0, args: { sort_index: 2 } },
  );
  for (const core of [...cores].sort((a, b) => a - b)) {
    const tid = coreTid(core);
    events.push(
      { name: 'thread_name', ph: 'M', ts: 0, pid: CORES_PID, tid, args: { name: `core ${core}` } },
      { name: 'thread_sort_index', ph: 'M', ts: 0, pid: CORES_PID, tid, args: { sort_index: core } },
    );
    for (const slice of merged(coreSlices.get(core) ?? [])) events.push(complete(slice, CORES_PID, tid, 'core', us));
  }
  for (const worker of workers.values()) {
    events.push(
      { name: 'thread_name', ph: 'M', ts: 0, pid: WORKERS_PID, tid: worker.tid, args: { name: worker.name } },
      {
        name: 'thread_sort_index',
        ph: 'M',
        ts: 0,
        pid: WORKERS_PID,
        tid: worker.tid,
        args: { sort_index: worker.tid },
      },
    );
    for (const slice of merged(workerSlices.get(worker.key) ?? []))
      events.push(complete(slice, WORKERS_PID, worker.tid, 'worker', us));
  }

  // Each core's busy share, from the samples.
  for (const { at, line } of samples)
    for (const core of line.cores)
      events.push({
        name: `core ${core.id} busy %`,
        ph: 'C',
        ts: us(at),
        pid: CORES_PID,
        tid: 0,
        args: { busy: core.total },
      });

  // The lab's events as markers across the whole trace.
  let current: RunSnapshot | null = null;
  for (const { at, line } of lab) {
    const marker = (name: string, args: Record<string, unknown>): void => {
      events.push({ name: traceName(name), ph: 'i', s: 'g', ts: us(at), pid: WORKERS_PID, tid: 0, cat: 'lab', args });
    };
    if (line.event === 'run') {
      if (!current || current.startedAt !== line.run.startedAt)
        marker(`started: ${line.run.title}`, { scenario: line.run.scenarioId, workers: line.run.workers });
      else if (current.step !== line.run.step && line.run.step) marker(`step: ${line.run.step}`, {});
      for (const state of line.run.workerStates) {
        const before = current?.workerStates.find((one) => one.pid === state.pid && one.tid === state.tid);
        if (state.exit && !before?.exit) marker(`worker ${state.name} ended: ${state.exit}`, { pid: state.pid });
      }
      current = line.run;
    } else if (line.event === 'ended') {
      marker(`ended: ${current?.title ?? 'the run'}`, {});
      current = null;
    } else if (line.event === 'result') {
      marker(`result: ${line.result.summary}`, { scenario: line.result.scenarioId, stoppedBy: line.result.stoppedBy });
    }
  }

  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      producer: 'paratop export-trace',
      recordedAt: recording.header.startedAt,
      host: traceName(recording.header.machine?.hostname ?? ''),
      source: recording.header.source,
    },
  };
}

function complete(slice: Slice, pid: number, tid: number, cat: string, us: (ms: number) => number): TraceEvent {
  const ts = us(slice.from);
  return {
    name: traceName(slice.name),
    ph: 'X',
    ts,
    dur: Math.max(1, us(slice.to) - ts),
    pid,
    tid,
    cat,
    ...(slice.args ? { args: slice.args } : {}),
  };
}
