import { formatBytes } from './format.js';
import type { RunResult } from './lab-types.js';
import type { CacheLevel } from './types.js';

/** One working set timed by the pointer chase. */
export interface LatencyPoint {
  bytes: number;
  nsPerLoad: number;
}

/** A flat stretch of the ladder: one level of the hierarchy, as measured. */
export interface LatencyStep {
  /** "L1", "L2", ... in order, and "RAM" for the last when the ladder went past every cache. */
  name: string;
  /** The smallest and largest working sets timed at about this latency. */
  fromBytes: number;
  upToBytes: number;
  /** Median ns per load over the step. */
  nsPerLoad: number;
}

/** The smallest working set: one page, far inside any L1. */
export const SMALLEST_WORKING_SET = 4 * 1024;
/** A point more than this many times slower (or faster) than its stretch's median starts another. */
const STEP_RATIO = 2;
/**
 * A stretch counts as a level if it spans at least this ratio of sizes (1.5 doublings); a shorter one is a transition.
 */
const LEVEL_SPAN = 2.5;
/** Neighbouring levels closer than this in latency are one level, split by a noisy point between them. */
const SAME_LEVEL_RATIO = 1.5;
/** A step reaches up to the last working set within this factor of its median latency. */
const UP_TO_RATIO = 1.3;

/**
 * Working sets from 4 KiB, doubling, up to the first that is at least `goal` bytes, never past `cap`:
 * sizes on a log scale. Below `fineBelow` (the largest cache) a point half-way (x1.5) between each
 * pair places the steps more closely; past it is RAM, where building each set is what costs time.
 */
export function ladderSizes(goal: number, cap: number, fineBelow = goal): number[] {
  const sizes: number[] = [];
  for (let size = SMALLEST_WORKING_SET; size <= cap; size *= 2) {
    sizes.push(size);
    const between = size * 1.5;
    if (size >= goal) break;
    if (between >= fineBelow || between > cap) continue;
    sizes.push(between);
  }
  return sizes;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Consecutive points whose latencies stay within STEP_RATIO of their stretch's median. */
function stretches(points: readonly LatencyPoint[]): LatencyPoint[][] {
  const groups: LatencyPoint[][] = [];
  let current: LatencyPoint[] = [];
  for (const point of points) {
    const level = median(current.map((member) => member.nsPerLoad));
    const apart = current.length > 0 && (point.nsPerLoad > level * STEP_RATIO || point.nsPerLoad < level / STEP_RATIO);
    if (apart) {
      groups.push(current);
      current = [];
    }
    current.push(point);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function spansALevel(group: readonly LatencyPoint[]): boolean {
  const first = group[0]?.bytes ?? 0;
  const last = group.at(-1)?.bytes ?? 0;
  return first > 0 && last / first >= LEVEL_SPAN;
}

/**
 * The steps of a latency ladder (points sorted by size): stretches of about equal latency that span
 * enough sizes to be a level; the steep parts between them are transitions and are left out.
 * `lastIsMemory` names the last step RAM: the ladder went well past the largest cache.
 */
export function latencySteps(points: readonly LatencyPoint[], lastIsMemory: boolean): LatencyStep[] {
  const sorted = [...points]
    .filter((point) => Number.isFinite(point.nsPerLoad) && point.nsPerLoad > 0)
    .sort((a, b) => a.bytes - b.bytes);
  const groups = stretches(sorted);
  const levels = groups.filter((group, at) => spansALevel(group) || (groups.length === 1 && at === 0));
  const merged: LatencyPoint[][] = [];
  for (const group of levels) {
    const previous = merged.at(-1);
    const apart =
      previous && median(group.map((point) => point.nsPerLoad)) / median(previous.map((point) => point.nsPerLoad));
    if (previous && apart !== undefined && apart < SAME_LEVEL_RATIO && apart > 1 / SAME_LEVEL_RATIO)
      previous.push(...group);
    else merged.push([...group]);
  }
  return merged.map((group, at) => {
    const level = median(group.map((point) => point.nsPerLoad));
    const within = group.filter((point) => point.nsPerLoad <= level * UP_TO_RATIO);
    const isMemory = lastIsMemory && merged.length > 1 && at === merged.length - 1;
    return {
      name: isMemory ? 'RAM' : `L${at + 1}`,
      fromBytes: group[0]?.bytes ?? 0,
      upToBytes: (within.at(-1) ?? group.at(-1))?.bytes ?? 0,
      nsPerLoad: level,
    };
  });
}

/** "1.2 ns", "46 ns": two figures are all a noisy machine supports. */
export function formatNs(ns: number): string {
  return ns < 10 ? `${ns.toFixed(1)} ns` : `${Math.round(ns)} ns`;
}

/** "L1 about 1.2 ns up to 48K, L2 about 4.5 ns up to 1.0M, RAM about 110 ns." */
export function ladderSummary(steps: readonly LatencyStep[]): string {
  if (steps.length === 0) return 'No working set was timed.';
  const parts = steps.map((step) =>
    step.name === 'RAM'
      ? `RAM about ${formatNs(step.nsPerLoad)}`
      : `${step.name} about ${formatNs(step.nsPerLoad)} up to ${formatBytes(step.upToBytes)}`,
  );
  return `${parts.join(', ')}.`;
}

/**
 * Cache sizes estimated from the steps, for a machine whose OS reports none: each step but RAM is a
 * cache about as large as the largest working set it held. The first is a data cache (loads only).
 */
export function estimatedCaches(steps: readonly LatencyStep[], lineBytes: number | null): CacheLevel[] {
  return steps
    .filter((step) => step.name !== 'RAM')
    .map((step, at) => ({
      name: at === 0 ? 'L1d' : step.name,
      bytes: step.upToBytes,
      sharedBy: null,
      lineBytes,
      source: 'measured' as const,
    }));
}

/** The reported caches a working set of `bytes` fits in: the smallest data or unified one, else RAM. */
export function reportedLevelFor(bytes: number, reported: readonly CacheLevel[]): string {
  const holding = reported
    .filter((cache) => cache.name !== 'L1i' && cache.bytes >= bytes)
    .sort((a, b) => a.bytes - b.bytes);
  return holding[0]?.name ?? (reported.length > 0 ? 'RAM' : '-');
}

/** The caches as the OS reports them, or as measured where it reports none: what the machine line shows. */
export function cachesToShow(reported: readonly CacheLevel[], measured: readonly CacheLevel[] | null): CacheLevel[] {
  return reported.length > 0 ? [...reported] : [...(measured ?? [])];
}

/** The cache sizes a memory-hierarchy result estimated (only where the OS reported none), or null. */
export function cachesMeasuredBy(result: RunResult): CacheLevel[] | null {
  const estimated = result.scenarioId === 'memory-hierarchy' ? result.details?.estimated : undefined;
  return Array.isArray(estimated) && estimated.length > 0 ? (estimated as CacheLevel[]) : null;
}
