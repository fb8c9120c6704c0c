import type { RunResult } from '../model/lab-types.js';
import { formatSeconds } from '../model/format.js';
import { markedRecord } from './marked-json.js';

/**
 * What scenarios/python/paratop_gpu_cores.py says on stdout: one JSON event a line after a marker.
 * Pure: parsed and tallied here, run by experiments/gpu-cores.ts.
 */
export const GPU_EVENT_MARKER = '@paratop-gpu ';

export interface GpuCoresInfo {
  event: 'info';
  library: string;
  device: string;
  multiprocessors: number;
  multiprocessorName: string;
  computeCapability: string | null;
  coresPerMultiprocessor: number | null;
  gpuCores: number | null;
  cpuCores: number;
  cpuThreads: number | null;
  size: number;
  repeats: number;
}

export type GpuCoresEvent =
  | GpuCoresInfo
  | { event: 'phase'; phase: 'cpu' | 'gpu' }
  | { event: 'result'; device: 'cpu' | 'gpu'; seconds: number; warmupSeconds?: number; products?: number }
  | { event: 'unavailable'; reason: string };

export function parseGpuCoresLine(line: string): GpuCoresEvent | null {
  const record = markedRecord(line, GPU_EVENT_MARKER);
  if (!record) return null;
  switch (record.event) {
    case 'info':
      return typeof record.device === 'string' &&
        typeof record.multiprocessors === 'number' &&
        typeof record.cpuCores === 'number' &&
        typeof record.size === 'number'
        ? (record as unknown as GpuCoresInfo)
        : null;
    case 'phase':
      return record.phase === 'cpu' || record.phase === 'gpu' ? { event: 'phase', phase: record.phase } : null;
    case 'result':
      return (record.device === 'cpu' || record.device === 'gpu') &&
        typeof record.seconds === 'number' &&
        record.seconds > 0
        ? (record as unknown as GpuCoresEvent)
        : null;
    case 'unavailable':
      return typeof record.reason === 'string' ? { event: 'unavailable', reason: record.reason } : null;
    default:
      return null;
  }
}

export interface GpuCoresTally {
  info: GpuCoresInfo | null;
  cpuSeconds: number | null;
  gpuSeconds: number | null;
  warmupSeconds: number | null;
  /** How many products the GPU ran: enough to fill a few seconds, so its meter has time to show them. */
  gpuProducts: number | null;
  unavailable: string | null;
}

export function tallyGpuCores(events: readonly GpuCoresEvent[]): GpuCoresTally {
  const tally: GpuCoresTally = {
    info: null,
    cpuSeconds: null,
    gpuSeconds: null,
    warmupSeconds: null,
    gpuProducts: null,
    unavailable: null,
  };
  for (const event of events) {
    if (event.event === 'info') tally.info = event;
    else if (event.event === 'unavailable') tally.unavailable = event.reason;
    else if (event.event === 'result' && event.device === 'cpu') tally.cpuSeconds = event.seconds;
    else if (event.event === 'result' && event.device === 'gpu') {
      tally.gpuSeconds = event.seconds;
      tally.warmupSeconds = event.warmupSeconds ?? null;
      tally.gpuProducts = typeof event.products === 'number' ? event.products : null;
    }
  }
  return tally;
}

/** 2 n^3 floating-point operations per n x n product. */
function gflops(size: number, seconds: number | null): number | null {
  return seconds === null || seconds <= 0 ? null : (2 * size ** 3) / seconds / 1e9;
}

export interface GpuCoresMeasure {
  wallSeconds: number;
  cpuSeconds: number | null;
  coresUsed: number | null;
  perCore: RunResult['perCore'];
  pid: number | null;
  exit: { code: number | null; signal: string | null } | null;
  stoppedBy: RunResult['stoppedBy'];
}

function ended(exit: GpuCoresMeasure['exit']): string {
  return exit?.signal ?? `exit code ${exit?.code ?? '?'}`;
}

function capability(value: string | null): string {
  return value ? `, compute capability ${value}` : '';
}

/** The product on the CPU's cores against the GPU's, in words, a table and a chart. Pure. */
export function gpuCoresResult(
  scenario: { id: string; title: string },
  tally: GpuCoresTally,
  measure: GpuCoresMeasure,
  line: string,
): RunResult {
  const { info } = tally;
  const speedup =
    tally.cpuSeconds !== null && tally.gpuSeconds !== null && tally.gpuSeconds > 0
      ? tally.cpuSeconds / tally.gpuSeconds
      : null;
  const size = info?.size ?? 0;
  const complete = speedup !== null && info !== null;
  const cores = info?.gpuCores
    ? `${info.multiprocessors} ${info.multiprocessorName} x ${info.coresPerMultiprocessor} = ${info.gpuCores} cores`
    : `${info?.multiprocessors ?? '?'} ${info?.multiprocessorName ?? 'multiprocessors'}`;
  const summary = complete
    ? `A ${size}x${size} matrix product: ${formatSeconds(tally.cpuSeconds ?? 0)} on ${info.cpuCores} CPU ` +
      `core${info.cpuCores === 1 ? '' : 's'}, ${formatSeconds(tally.gpuSeconds ?? 0)} on the GPU ` +
      `(${info.device}, ${cores}): ${speedup.toFixed(1)}x faster.`
    : tally.unavailable
      ? `Not run: ${tally.unavailable}.`
      : measure.stoppedBy === 'asked'
        ? 'Stopped before both products were timed.'
        : `The program ended before both products were timed (${ended(measure.exit)}).`;
  const lines = [
    line,
    ...(info
      ? [
          `GPU: ${info.device}${capability(info.computeCapability)}, ${cores}.`,
          `CPU: ${info.cpuCores} core${info.cpuCores === 1 ? '' : 's'} (${info.library}).`,
        ]
      : []),
    ...(tally.warmupSeconds !== null
      ? [`The GPU's first product (context, kernels, not counted): ${formatSeconds(tally.warmupSeconds)}.`]
      : []),
    ...(tally.gpuProducts !== null && tally.gpuSeconds !== null
      ? [
          `The GPU ran ${tally.gpuProducts} products in ${formatSeconds(tally.gpuProducts * tally.gpuSeconds)}, ` +
            'long enough for its meter to show them; meanwhile the CPU cores wait on it.',
        ]
      : []),
  ];
  const cpuGflops = gflops(size, tally.cpuSeconds);
  const gpuGflops = gflops(size, tally.gpuSeconds);
  const devices = [
    ['CPU', info?.cpuCores, tally.cpuSeconds, cpuGflops],
    ['GPU', info?.gpuCores, tally.gpuSeconds, gpuGflops],
  ] as const;
  const rows: (string | number)[][] = devices.flatMap(([label, cores, seconds, rate]) =>
    seconds === null ? [] : [[label, cores ?? '-', seconds.toFixed(4), (rate ?? 0).toFixed(1)]],
  );
  return {
    scenarioId: scenario.id,
    title: scenario.title,
    kind: 'processes',
    workers: 1,
    wallSeconds: measure.wallSeconds,
    cpuSeconds: measure.cpuSeconds,
    coresUsed: measure.coresUsed,
    units: 0,
    unitsPerSecond: 0,
    perCore: measure.perCore,
    speedup,
    stoppedBy: complete ? 'finished' : measure.stoppedBy,
    perWorker:
      measure.pid === null
        ? []
        : [{ index: 1, pid: measure.pid, tid: null, name: 'gpu-cores', units: 0, cpuSeconds: measure.cpuSeconds }],
    joined: [],
    summary,
    lines,
    table: { columns: ['device', 'cores', 'seconds per product', 'GFLOP/s'], rows },
    chart: {
      kind: 'bar',
      title: 'seconds per product',
      labels: rows.map((row) => String(row[0])),
      series: [{ title: 'seconds', values: rows.map((row) => Number(row[2])) }],
    },
    ...(measure.exit ? { exit: measure.exit } : {}),
    details: {
      library: info?.library ?? null,
      device: info?.device ?? null,
      multiprocessors: info?.multiprocessors ?? null,
      computeCapability: info?.computeCapability ?? null,
      coresPerMultiprocessor: info?.coresPerMultiprocessor ?? null,
      gpuCores: info?.gpuCores ?? null,
      cpuCores: info?.cpuCores ?? null,
      size: info?.size ?? null,
      repeats: info?.repeats ?? null,
      cpuSecondsPerProduct: tally.cpuSeconds,
      gpuSecondsPerProduct: tally.gpuSeconds,
      gpuWarmupSeconds: tally.warmupSeconds,
      cpuGflops,
      gpuGflops,
      speedup,
      unavailable: tally.unavailable,
    },
  };
}
