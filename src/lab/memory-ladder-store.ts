import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LatencyPoint, type LatencyStep, cachesToShow, estimatedCaches } from '../model/memory-ladder.js';
import type { CacheLevel, MachineFacts } from '../model/types.js';
import { dataDirectory } from './compare-history.js';

/** The last latency ladder measured on this machine, kept for `info` and the machine line. */
export interface StoredLadder {
  takenAt: string;
  hostname: string;
  /** The cache line size the chase was spaced by. */
  lineBytes: number;
  points: LatencyPoint[];
  steps: LatencyStep[];
  /** The caches as the OS reported them when it ran. */
  reported: CacheLevel[];
}

export function ladderFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirectory(env), 'memory-ladder.json');
}

/** Keep the ladder (replacing the last one), written whole or not at all. */
export function saveLadder(ladder: StoredLadder, env: NodeJS.ProcessEnv = process.env): string {
  const file = ladderFile(env);
  mkdirSync(dataDirectory(env), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(ladder, null, 2)}\n`);
  renameSync(partial, file);
  return file;
}

/** The kept ladder for this host, or null: none yet, another machine's (a shared home), or unreadable. */
export function readLadder(hostname: string, env: NodeJS.ProcessEnv = process.env): StoredLadder | null {
  try {
    const ladder = JSON.parse(readFileSync(ladderFile(env), 'utf8')) as StoredLadder;
    return ladder.hostname === hostname && Array.isArray(ladder.steps) ? ladder : null;
  } catch {
    return null;
  }
}

/** The cache sizes a kept ladder estimates (source: measured), for a machine whose OS reports none. */
export function measuredCaches(hostname: string, env: NodeJS.ProcessEnv = process.env): CacheLevel[] | null {
  const ladder = readLadder(hostname, env);
  return ladder ? estimatedCaches(ladder.steps, ladder.lineBytes) : null;
}

/** The machine facts with, where the OS reports no cache, the sizes the kept ladder estimates (source: measured). */
export function withMeasuredCaches(facts: MachineFacts, env: NodeJS.ProcessEnv = process.env): MachineFacts {
  return { ...facts, caches: cachesToShow(facts.caches, measuredCaches(facts.hostname, env)) };
}
