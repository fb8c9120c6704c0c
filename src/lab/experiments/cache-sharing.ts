import { freemem, hostname } from 'node:os';
import { formatBytes } from '../../model/format.js';
import type { RunResult, WorkerState } from '../../model/lab-types.js';
import type { CacheLevel } from '../../model/types.js';
import { type CacheCounters, countCacheMisses } from '../../sampler/cache-counters.js';
import type { ExperimentContext } from '../experiment.js';
import { readLadder } from '../memory-ladder-store.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';

const MIB = 1024 * 1024;
/** Loads a worker counts as one unit of work. */
const LOADS_PER_UNIT = 1 << 14;
const DEFAULT_SECONDS_PER_COUNT = 2;
/** Workers build their sets before reporting in; this settles them into the caches before timing. */
const WARM_UP_MS = 300;
/** Where nothing says how large the shared cache is: a desktop L3. */
const FALLBACK_SHARED_BYTES = 8 * MIB;
/** All the workers' sets together never take more than this share of the free memory. */
const FREE_MEMORY_SHARE = 0.25;

/** The cache the workers share, and where its size came from. */
interface SharedCache {
  bytes: number;
  source: string;
  measured: boolean;
  /** Its latency as measured here, ns per load; null where only the OS's figure is known. */
  nsPerLoad: number | null;
}

/**
 * One worker this many times slower than the measured cache did not fit it (the boundary moves with the neighbours'
 * use).
 */
const DID_NOT_FIT = 2;
/** Then its set shrinks by this factor, at most this many times. */
const SHRINK = 2 / 3;
const MOST_SHRINKS = 2;

/**
 * The last-level cache one worker gets: as paratop measured it on this machine (memory-hierarchy's
 * last step before RAM: the largest set still served at that level's speed), else as the OS reports
 * it (the largest one shared by several cores, or the largest), else a desktop's 8 MiB.
 */
export function sharedCache(
  reported: readonly CacheLevel[],
  measuredSteps: readonly { name: string; upToBytes: number; nsPerLoad: number }[] | null,
): SharedCache {
  const measured = measuredSteps?.filter((step) => step.name !== 'RAM' && step.name !== 'L1').at(-1);
  if (measured)
    return {
      bytes: measured.upToBytes,
      source: `the ${measured.name} step memory-hierarchy measured here`,
      measured: true,
      nsPerLoad: measured.nsPerLoad,
    };
  const data = reported.filter((cache) => cache.name !== 'L1i').sort((a, b) => b.bytes - a.bytes);
  const largest = data.find((cache) => (cache.sharedBy ?? 0) > 1) ?? data[0];
  if (largest)
    return {
      bytes: largest.bytes,
      source: `the ${largest.name} as the OS reports it (${largest.source})`,
      measured: false,
      nsPerLoad: null,
    };
  return {
    bytes: FALLBACK_SHARED_BYTES,
    source: 'no cache size known here: a desktop L3',
    measured: false,
    nsPerLoad: null,
  };
}

interface Point {
  workers: number;
  /** All the workers' sets together. */
  totalBytes: number;
  loadsPerSecondPerWorker: number;
  /** CPU time per load: what a load costs while the worker runs, whether or not it waited its turn for a core. */
  nsPerLoad: number;
  counters: CacheCounters;
  workerStates: WorkerState[];
}

async function measureCount(
  context: ExperimentContext,
  workers: number,
  setBytes: number,
  lineBytes: number,
  seconds: number,
): Promise<Point | null> {
  const group = await context.startGroup({
    kind: 'processes',
    mode: 'chase',
    namePrefix: 'cache-walker',
    workers,
    spec: { megabytes: setBytes / MIB, lineBytes, count: LOADS_PER_UNIT },
  });
  const warmed = await context.sleep(WARM_UP_MS);
  const first = group.measure();
  const counting = countCacheMisses(group.pids(), seconds);
  const timed = warmed && (await context.sleep(seconds * 1000));
  const last = group.measure();
  const counters = await counting;
  await context.stopGroup(group);
  if (!timed) return null;
  const wall = last.wallSeconds - first.wallSeconds;
  const loads = (last.units - first.units) * LOADS_PER_UNIT;
  const cpu = last.cpuSeconds === null || first.cpuSeconds === null ? null : last.cpuSeconds - first.cpuSeconds;
  if (wall <= 0 || loads <= 0) return null;
  return {
    workers,
    totalBytes: workers * setBytes,
    loadsPerSecondPerWorker: loads / wall / workers,
    nsPerLoad: ((cpu ?? wall * Math.min(workers, context.cores)) * 1e9) / loads,
    counters,
    workerStates: last.workerStates,
  };
}

/**
 * "More threads, more cache misses": workers that each walk a working set of their own, as large as
 * the last-level cache one worker gets, so one fits and more push each other's data out. As the count
 * grows (and passes the cores, when they take turns and each turn finds the cache refilled with
 * another's data), each load costs more and each worker gets fewer done. Hardware counters give the
 * miss rate where the CPU exposes them.
 */
export async function cacheSharingExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const reported = context.reportedCaches();
  const cache = sharedCache(reported, readLadder(hostname())?.steps ?? null);
  const memoryBound = Math.floor((freemem() * FREE_MEMORY_SHARE) / options.workers);
  let setBytes =
    options.megabytes !== undefined ? options.megabytes * MIB : Math.max(MIB, Math.min(cache.bytes, memoryBound));
  const lineBytes = Math.max(64, ...reported.map((level) => level.lineBytes ?? 0));
  const seconds = options.jobSeconds ?? DEFAULT_SECONDS_PER_COUNT;
  const points: Point[] = [];
  const shrunk: string[] = [];
  // One worker must fit, or nothing after shows sharing: where the cache's speed is known, check it.
  for (
    let shrinks = 0;
    options.megabytes === undefined && cache.nsPerLoad !== null && shrinks < MOST_SHRINKS;
    shrinks += 1
  ) {
    context.step(`1 worker, ${formatBytes(setBytes)}: does it fit?`);
    const alone = await measureCount(context, 1, setBytes, lineBytes, seconds);
    if (!alone) break;
    if (alone.nsPerLoad <= DID_NOT_FIT * cache.nsPerLoad) {
      points.push(alone);
      break;
    }
    shrunk.push(`${formatBytes(setBytes)} (${alone.nsPerLoad.toFixed(1)} ns per load alone)`);
    setBytes = Math.max(MIB, Math.floor(setBytes * SHRINK));
  }
  for (let workers = points.length + 1; workers <= options.workers; workers += 1) {
    context.step(`${workers} of ${options.workers} workers, ${formatBytes(workers * setBytes)} of working sets`);
    const point = await measureCount(context, workers, setBytes, lineBytes, seconds);
    if (!point) break;
    points.push(point);
  }
  const stopped = points.length < options.workers;
  const one = points[0];
  const most = points.at(-1);
  // After a shrink, what is known to fit is the set one worker got at the cache's speed.
  const holds = shrunk.length > 0 ? setBytes : cache.bytes;
  const fits = (point: Point): string => (point.totalBytes <= holds ? 'yes' : 'no');
  const missRate = (point: Point): string =>
    point.counters.kind === 'counted' ? `${(point.counters.missRate * 100).toFixed(1)}%` : '-';
  const unavailable = points.map((point) => point.counters).find((counters) => counters.kind === 'unavailable');
  const lines = [
    `Each worker walks ${formatBytes(setBytes)} of its own; the cache one ` +
      `worker gets is ${formatBytes(cache.bytes)} (${cache.source}).`,
    ...(cache.measured
      ? []
      : [
          'memory-hierarchy measures how much cache a working set really gets here (a VM ' +
            'may get far less than the CPU has): run it first for a set of that size.',
        ]),
    ...(shrunk.length > 0
      ? [
          `One worker alone did not fit the cache with ` +
            `${shrunk.join(', then ')}, slower than the ` +
            `${cache.nsPerLoad?.toFixed(0)} ns measured for it: its set was made smaller.`,
        ]
      : []),
    unavailable?.kind === 'unavailable'
      ? `No cache-miss counts: ${unavailable.reason}. The evidence is the time per load and the loads per second.`
      : 'Miss rate: cache misses / cache references, counted by the CPU (perf stat) over each timed window.',
    `Past ${context.cores} workers they also take turns on the cores, and ` +
      `each turn finds the cache refilled with another worker's data.`,
  ];
  const summary =
    one && most && most !== one
      ? `1 worker: ${one.nsPerLoad.toFixed(1)} ns per load; ${most.workers} ` +
        `workers (${formatBytes(most.totalBytes)} in all, ` +
        `${fits(most) === 'yes' ? 'within' : 'more than'} the ` +
        `${formatBytes(holds)} cache): ${most.nsPerLoad.toFixed(1)} ns per ` +
        `load, each doing ` +
        `${(most.loadsPerSecondPerWorker / one.loadsPerSecondPerWorker).toFixed(2)}x ` +
        `the loads per second of one alone.`
      : 'Stopped before two counts were measured.';
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: options.workers,
      wallSeconds: points.length * (seconds + WARM_UP_MS / 1000),
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      lines,
      perWorker: perWorkerOfSteps(points.map((point) => point.workerStates)),
      table: {
        columns: [
          'workers',
          'sets in all',
          'fit the cache',
          'M loads/s each',
          'ns per load',
          'x one worker',
          'miss rate',
        ],
        rows: points.map((point) => [
          point.workers,
          formatBytes(point.totalBytes),
          fits(point),
          (point.loadsPerSecondPerWorker / 1e6).toFixed(2),
          point.nsPerLoad.toFixed(1),
          one ? (point.nsPerLoad / one.nsPerLoad).toFixed(2) : '-',
          missRate(point),
        ]),
      },
      chart: {
        kind: 'line',
        title: 'by number of workers',
        labels: points.map((point) => String(point.workers)),
        series: [
          { title: 'ns per load', values: points.map((point) => point.nsPerLoad) },
          { title: 'M loads/s per worker', values: points.map((point) => point.loadsPerSecondPerWorker / 1e6) },
        ],
      },
      details: {
        workingSetBytes: setBytes,
        sharedCacheBytes: cache.bytes,
        sharedCacheSource: cache.source,
        counters: unavailable?.kind === 'unavailable' ? unavailable.reason : null,
        points: points.map(({ workerStates: _workers, ...figures }) => figures),
      },
    },
  );
}
