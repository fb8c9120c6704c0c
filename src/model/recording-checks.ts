import { toPrintable } from './untrusted-text.js';
import { isPlainObject } from './is-plain-object.js';

/**
 * A recording comes from another machine, or another person: every string in it is untrusted text
 * and every figure may be of the wrong type. What the screens would format as a number is a number
 * or null after these checks, and no string can act on a terminal.
 */

type Fields = Record<string, unknown>;

const isFields = isPlainObject;

/** JSON.parse's reviver: every string made inert, whatever line or field it is in. */
export const inertStrings = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? toPrintable(value) : value;

const PROCESS_NUMBERS = [
  'cpu',
  'cpuSeconds',
  'rss',
  'memPercent',
  'threads',
  'ctxVoluntary',
  'ctxInvoluntary',
  'ctxPerSecond',
  'ctxVoluntaryPerSecond',
  'ctxInvoluntaryPerSecond',
  'lastCpu',
  'waitPercent',
  'migrationsPerSecond',
  'gpuMemoryBytes',
  'gpuPercent',
];
const THREAD_NUMBERS = PROCESS_NUMBERS.filter((key) => !key.startsWith('gpu') && key !== 'rss');
const CORE_NUMBERS = ['user', 'system', 'iowait', 'steal', 'idle', 'total'];
const MEMORY_NUMBERS = [
  'totalBytes',
  'usedBytes',
  'availableBytes',
  'freeBytes',
  'buffersBytes',
  'cachedBytes',
  'swapTotalBytes',
  'swapUsedBytes',
];
const GPU_NUMBERS = [
  'index',
  'utilPercent',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'temperatureC',
  'powerWatts',
  'smClockMHz',
  'memoryClockMHz',
];

const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

function withNumbers(fields: Fields, keys: readonly string[], zero: readonly string[] = []): Fields {
  const checked: Fields = { ...fields };
  for (const key of keys) checked[key] = finiteOrNull(fields[key]) ?? (zero.includes(key) ? 0 : null);
  return checked;
}

function withStrings(fields: Fields, keys: readonly string[]): Fields {
  const checked: Fields = { ...fields };
  for (const key of keys) if (typeof fields[key] !== 'string') checked[key] = '';
  return checked;
}

/** A process record with a whole PID, or null: the rest of its figures numbers or null, its text strings. */
export function checkedProcess(value: unknown): Fields | null {
  if (!isFields(value) || !isWhole(value.pid)) return null;
  const numbers = withNumbers(value, PROCESS_NUMBERS, ['cpuSeconds', 'rss', 'memPercent']);
  return withStrings({ ...numbers, ppid: isWhole(value.ppid) ? value.ppid : 0 }, [
    'user',
    'state',
    'name',
    'command',
    'startedAt',
  ]);
}

export function checkedThread(value: unknown): Fields | null {
  if (!isFields(value) || !isWhole(value.tid) || !isWhole(value.pid)) return null;
  return withStrings(withNumbers(value, THREAD_NUMBERS, ['cpuSeconds']), ['name', 'state']);
}

function checkedCore(value: unknown): Fields | null {
  if (!isFields(value) || !isWhole(value.id)) return null;
  return withNumbers(value, CORE_NUMBERS, CORE_NUMBERS);
}

function checkedGpu(value: unknown): Fields | null {
  if (!isFields(value) || !isWhole(value.index)) return null;
  const numbers = withNumbers(value, GPU_NUMBERS);
  return withStrings({ ...numbers, index: value.index, lost: value.lost === true }, ['id', 'name', 'vendor', 'source']);
}

const each = (list: unknown, check: (value: unknown) => Fields | null): Fields[] =>
  Array.isArray(list) ? list.map(check).filter((item): item is Fields => item !== null) : [];

/** A sample line with every figure checked; items that cannot be read (no PID, say) are left out. */
export function checkedSample(line: Fields): Fields {
  const load = Array.isArray(line.loadAverage) ? line.loadAverage : [];
  return {
    ...line,
    intervalSeconds: finiteOrNull(line.intervalSeconds) ?? 1,
    uptimeSeconds: finiteOrNull(line.uptimeSeconds) ?? 0,
    cpu: isFields(line.cpu) ? withNumbers(line.cpu, CORE_NUMBERS, CORE_NUMBERS) : null,
    cores: each(line.cores, checkedCore),
    memory: withNumbers(isFields(line.memory) ? line.memory : {}, MEMORY_NUMBERS, MEMORY_NUMBERS),
    loadAverage: [0, 1, 2].map((at) => finiteOrNull(load[at]) ?? 0),
    processes: each(line.processes, checkedProcess),
    gpus: each(line.gpus, checkedGpu),
    ...(line.threads === undefined ? {} : { threads: each(line.threads, checkedThread) }),
  };
}
