import type { PlacedTask } from './core-map.js';
import { checkedSample, inertStrings } from './recording-checks.js';
import type { RunResult, RunSnapshot } from './lab-types.js';
import type { ProcessRecord, SampleRecord, ThreadRecord } from './sample-record.js';
import {
  type MachineFacts,
  type ProcessSample,
  type SchedulingFigures,
  type SystemSample,
  type ThreadSample,
  UNKNOWN_SCHEDULING,
} from './types.js';
import { isPlainObject } from './is-plain-object.js';

/**
 * A recording: NDJSON, a header line, then a line per sample (a `watch` record with `"type":"sample"`
 * first) and the lab's events (`"type":"lab"`). Pure: building and reading lines; the files are app's.
 */

export const RECORDING_TYPE = 'paratop-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  type: typeof RECORDING_TYPE;
  version: typeof RECORDING_VERSION;
  startedAt: string;
  /** What recorded it: the dashboard, `record`, or `lab run --record`. */
  source: 'dashboard' | 'record' | 'lab';
  sampler: string;
  intervalSeconds: number;
  /** The cores the meters had, by number. */
  cores: number[];
  machine: MachineFacts | null;
}

/** A sample: exactly a `watch` line, tagged; `threads` are those of `threadsOf` (the lab run's process). */
export interface SampleLine extends SampleRecord {
  type: 'sample';
  threadsOf?: number;
}

/** The lab's events: a run under way (its workers), its end, its result, where its threads ran. */
export type LabLine =
  | { type: 'lab'; event: 'run'; at: string; run: RunSnapshot }
  | { type: 'lab'; event: 'ended'; at: string }
  | { type: 'lab'; event: 'result'; at: string; result: RunResult }
  | { type: 'lab'; event: 'placements'; at: string; tasks: PlacedTask[] };

export type RecordingLine = SampleLine | LabLine;

export interface RecordingEntry {
  /** ms since the epoch */
  at: number;
  line: RecordingLine;
}

export interface Recording {
  header: RecordingHeader;
  entries: RecordingEntry[];
  /** The last line was cut short (paratop killed mid-write): it was left out. */
  truncated: boolean;
  /** Lines in the middle that could not be read. */
  skipped: number;
}

export class RecordingError extends Error {
  readonly code = 'NOT_A_RECORDING';
}

export const EXPECTED_HEADER = `a first line {"type":"${RECORDING_TYPE}","version":${RECORDING_VERSION},...}`;

export function headerLine(header: Omit<RecordingHeader, 'type' | 'version'>): string {
  return `${JSON.stringify({ type: RECORDING_TYPE, version: RECORDING_VERSION, ...header })}\n`;
}

export function sampleLine(record: SampleRecord, threadsOf: number | null): string {
  const line: SampleLine = { type: 'sample', ...record, ...(threadsOf !== null ? { threadsOf } : {}) };
  return `${JSON.stringify(line)}\n`;
}

export function labLine(line: LabLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** The header, or why the line is not one. */
export function parseHeader(text: string): RecordingHeader {
  let value: unknown;
  try {
    value = JSON.parse(text, inertStrings);
  } catch {
    throw new RecordingError(`its first line is not JSON; a recording starts with ${EXPECTED_HEADER}`);
  }
  if (!isPlainObject(value) || value.type !== RECORDING_TYPE)
    throw new RecordingError(`its first line is not a recording header; expected ${EXPECTED_HEADER}`);
  if (value.version !== RECORDING_VERSION)
    throw new RecordingError(
      `it is a recording of version ${JSON.stringify(value.version)}; this paratop reads version ${RECORDING_VERSION}`,
    );
  return {
    type: RECORDING_TYPE,
    version: RECORDING_VERSION,
    startedAt: typeof value.startedAt === 'string' ? value.startedAt : new Date(0).toISOString(),
    source: value.source === 'record' || value.source === 'lab' ? value.source : 'dashboard',
    sampler: typeof value.sampler === 'string' ? value.sampler : 'unknown',
    intervalSeconds: typeof value.intervalSeconds === 'number' ? value.intervalSeconds : 1,
    cores: Array.isArray(value.cores) ? value.cores.filter((core) => typeof core === 'number') : [],
    machine: isPlainObject(value.machine) ? (value.machine as unknown as MachineFacts) : null,
  };
}

/** A core map look from a file: a key and label of text, a whole core number, running or not. */
function isPlacedTask(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value.key === 'string' &&
    typeof value.label === 'string' &&
    Number.isSafeInteger(value.cpu) &&
    typeof value.running === 'boolean'
  );
}

function entryOf(value: unknown): RecordingEntry | null {
  if (!isPlainObject(value)) return null;
  if (value.type === 'sample' && typeof value.takenAt === 'string' && Array.isArray(value.processes)) {
    const at = Date.parse(value.takenAt);
    return Number.isFinite(at) ? { at, line: checkedSample(value) as unknown as SampleLine } : null;
  }
  if (value.type === 'lab' && typeof value.at === 'string') {
    const at = Date.parse(value.at);
    const event = value.event;
    const known =
      (event === 'run' && isPlainObject(value.run)) ||
      event === 'ended' ||
      (event === 'result' && isPlainObject(value.result)) ||
      (event === 'placements' && Array.isArray(value.tasks) && value.tasks.every(isPlacedTask));
    return known && Number.isFinite(at) ? { at, line: value as unknown as LabLine } : null;
  }
  return null;
}

/**
 * A recording's text, read up to its last whole line: a line cut short at the end (paratop killed
 * mid-write) is left out; lines of a kind this version does not know are skipped.
 */
export function parseRecording(text: string): Recording {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  // Without a newline at the end, the last piece is a line cut short.
  const cut = complete ? '' : (lines.pop() ?? '');
  if (complete) lines.pop();
  const first = lines.shift();
  if (first === undefined) {
    if (cut.length === 0) throw new RecordingError(`it is empty; a recording starts with ${EXPECTED_HEADER}`);
    parseHeader(cut);
    throw new RecordingError('its header line is cut short');
  }
  const header = parseHeader(first);
  const entries: RecordingEntry[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let entry: RecordingEntry | null = null;
    try {
      entry = entryOf(JSON.parse(line, inertStrings));
    } catch {
      entry = null;
    }
    if (entry) entries.push(entry);
    else skipped += 1;
  }
  return { header, entries, truncated: cut.length > 0, skipped };
}

/** The scheduling figures a process or thread record carries; the rest (wait seconds) is unknown. */
function recordedScheduling(record: ProcessRecord | ThreadRecord): SchedulingFigures {
  return {
    ...UNKNOWN_SCHEDULING,
    lastCpu: record.lastCpu,
    waitPercent: record.waitPercent,
    migrationsPerSecond: record.migrationsPerSecond,
    ctxVoluntaryPerSecond: record.ctxVoluntaryPerSecond,
    ctxInvoluntaryPerSecond: record.ctxInvoluntaryPerSecond,
  };
}

/** A process as the dashboard holds it, from its record (what the record leaves out is unknown). */
export function processFromRecord(record: ProcessRecord): ProcessSample {
  return {
    pid: record.pid,
    ppid: record.ppid,
    user: record.user,
    uid: -1,
    state: record.state,
    name: record.name,
    command: record.command,
    cpu: record.cpu,
    cpuSeconds: record.cpuSeconds,
    rssBytes: record.rss,
    memPercent: record.memPercent,
    threads: record.threads,
    gpuMemoryBytes: record.gpuMemoryBytes ?? null,
    gpuPercent: record.gpuPercent ?? null,
    startedAt: Date.parse(record.startedAt),
    startToken: `recorded:${record.startedAt}`,
    ctxVoluntary: record.ctxVoluntary,
    ctxInvoluntary: record.ctxInvoluntary,
    ctxPerSecond: record.ctxPerSecond,
    ...recordedScheduling(record),
  };
}

export function threadFromRecord(record: ThreadRecord): ThreadSample {
  return {
    tid: record.tid,
    pid: record.pid,
    name: record.name,
    state: record.state,
    cpu: record.cpu,
    cpuSeconds: record.cpuSeconds,
    ctxVoluntary: null,
    ctxInvoluntary: null,
    ctxPerSecond: record.ctxPerSecond,
    ...recordedScheduling(record),
  };
}

export function systemFromRecord(line: SampleLine): SystemSample {
  return {
    at: Date.parse(line.takenAt),
    cores: line.cores.length > 0 ? line.cores : null,
    cpu: line.cpu,
    memory: line.memory,
    loadAverage: line.loadAverage,
    uptimeSeconds: line.uptimeSeconds,
    kernel: null,
  };
}
