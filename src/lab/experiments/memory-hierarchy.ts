import { freemem, hostname } from 'node:os';
import { formatBytes } from '../../model/format.js';
import type { RunResult } from '../../model/lab-types.js';
import { cacheSourceSummary, cacheSummary } from '../../model/machine-summary.js';
import {
  type LatencyPoint,
  estimatedCaches,
  formatNs,
  ladderSizes,
  ladderSummary,
  latencySteps,
  reportedLevelFor,
} from '../../model/memory-ladder.js';
import type { CacheLevel } from '../../model/types.js';
import type { ExperimentContext } from '../experiment.js';
import { saveLadder } from '../memory-ladder-store.js';
import { experimentResult, perWorkerOf } from '../run-results.js';

const MIB = 1024 * 1024;
/** About how long the ladder takes by default; building the largest sets adds to it. */
const DEFAULT_SECONDS = 20;
/** Half the time goes to timing; the rest is building the cycles, which grows with the sets. */
const TIMING_SHARE = 0.5;
/** Each set is timed for at least this long, in three rounds. */
const LEAST_MS_PER_SIZE = 15;
/** How far past the largest cache to go: 4x leaves it no chance to hold the set. */
const PAST_LARGEST = 4;
/** Where the OS reports no cache, go this far: past any L3 of today's desktop CPUs. */
const GOAL_WITHOUT_CACHES = 1024 * MIB;
/** A single typed array may not exceed 4 GiB in Node 20. */
const ARRAY_LIMIT = 4096 * MIB;

/** The caches a working set can live in: data and unified ones (not the instruction cache). */
function dataCaches(reported: readonly CacheLevel[]): CacheLevel[] {
  return reported.filter((cache) => cache.name !== 'L1i');
}

/**
 * The lecture's cartoon of the computer, measured: a pointer chase through working sets from 4 KiB to
 * 4 x the largest cache, timed in a worker process, in nanoseconds per load. Steps appear where a set
 * no longer fits a level (L1, L2, L3) and loads go one level further out, at last to RAM.
 */
export async function memoryHierarchyExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const reported = context.reportedCaches();
  const largest = Math.max(0, ...dataCaches(reported).map((cache) => cache.bytes));
  const cap = Math.min(ARRAY_LIMIT, Math.floor(freemem() / 4));
  const goal =
    options.megabytes !== undefined
      ? options.megabytes * MIB
      : largest > 0
        ? PAST_LARGEST * largest
        : GOAL_WITHOUT_CACHES;
  const sizes = ladderSizes(goal, cap, largest > 0 ? largest : goal);
  const seconds = options.jobSeconds ?? DEFAULT_SECONDS;
  const msPerSize = Math.max(LEAST_MS_PER_SIZE, (seconds * 1000 * TIMING_SHARE) / sizes.length);
  const lineBytes = Math.max(64, ...reported.map((cache) => cache.lineBytes ?? 0));
  const points: LatencyPoint[] = [];

  context.step(`timing ${sizes.length} working sets, 4K to ${formatBytes(sizes.at(-1) ?? 0)}`);
  const group = await context.startGroup({
    kind: 'processes',
    mode: 'latency',
    namePrefix: 'mem-ladder',
    workers: 1,
    spec: { sizes, msPerSize, lineBytes },
    onMessage: (message) => {
      if (message.type !== 'latency') return;
      points.push({ bytes: message.bytes, nsPerLoad: message.nsPerLoad });
      context.step(
        `${formatBytes(message.bytes)}: ${formatNs(message.nsPerLoad)} per load (${points.length} of ${sizes.length})`,
      );
    },
  });
  const finished = await context.untilFinished(group);
  const measured = group.measure();
  await context.stopGroup(group);

  const top = points.at(-1);
  const lastIsMemory = finished && (largest === 0 || (top?.bytes ?? 0) >= 2 * largest);
  const steps = latencySteps(points, lastIsMemory);
  const estimated = estimatedCaches(steps, lineBytes);
  if (finished && points.length > 0)
    saveLadder({ takenAt: new Date().toISOString(), hostname: hostname(), lineBytes, points, steps, reported });

  const smallest = points[0];
  const lines = [
    reported.length > 0
      ? `Reported by the OS: ${cacheSummary(reported)} (${cacheSourceSummary(reported)}).`
      : `The OS reports no cache sizes here; from these steps: ` +
        `${cacheSummary(estimated)} (paratop info shows them as measured).`,
  ];
  if (top && smallest && top !== smallest) {
    const past = largest > 0 ? ` (${(top.bytes / largest).toFixed(1)}x the largest cache)` : '';
    lines.push(
      `At ${formatBytes(top.bytes)}${past}: ${formatNs(top.nsPerLoad)} per ` +
        `load, ${(top.nsPerLoad / smallest.nsPerLoad).toFixed(0)}x the ` +
        `${formatNs(smallest.nsPerLoad)} of ${formatBytes(smallest.bytes)}.`,
    );
  }
  if (finished && (sizes.at(-1) ?? 0) < goal)
    lines.push(
      `Stopped at ${formatBytes(sizes.at(-1) ?? 0)}: a quarter of the free memory (or 4 GiB) is as far as it goes.`,
    );
  lines.push(
    'Each load waits for the one before (a pointer chase in random order: pages at ' +
      'random, and at random within each page), so no prefetcher can help: this is ' +
      'latency, not bandwidth. Grouping by page keeps TLB misses out of the figures.',
  );

  const stepOf = (bytes: number): string =>
    steps.find((step) => bytes >= step.fromBytes && bytes <= step.upToBytes)?.name ?? '';
  const marks = dataCaches(reported).flatMap((cache) => {
    const index = points.findIndex((point) => point.bytes >= cache.bytes);
    return index === -1 ? [] : [{ index, text: `${cache.name} ${formatBytes(cache.bytes)}` }];
  });
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: 1,
      wallSeconds: measured.wallSeconds,
      stoppedBy: finished ? 'finished' : 'asked',
      summary: finished
        ? ladderSummary(steps)
        : `Stopped after ${points.length} of ${sizes.length} working sets. ${ladderSummary(steps)}`,
    },
    {
      cpuSeconds: measured.cpuSeconds,
      lines,
      perWorker: perWorkerOf(measured.workerStates),
      table: {
        columns: ['bytes', 'working set', 'ns per load', 'fits (OS)', 'step'],
        rows: points.map((point) => [
          point.bytes,
          formatBytes(point.bytes),
          Number(point.nsPerLoad.toFixed(2)),
          reportedLevelFor(point.bytes, reported),
          stepOf(point.bytes),
        ]),
      },
      chart: {
        kind: 'line',
        title: 'ns per load, by working set (sizes on a log scale)',
        labels: points.map((point) => formatBytes(point.bytes)),
        series: [{ title: 'ns per load', values: points.map((point) => point.nsPerLoad) }],
        marks,
      },
      details: {
        points,
        steps,
        reported,
        estimated: reported.length > 0 ? [] : estimated,
        lineBytes,
        goalBytes: goal,
        capBytes: cap,
      },
    },
  );
}
