import { BIN } from './paths.js';
import { processCount } from './pty-process.js';
import {
  type SelfCost,
  type SpawnTrace,
  type Tool,
  measureSelfCost,
  straceAvailable,
  traceSpawns,
} from './self-cost.js';

/** The dashboard's refresh and process-list intervals as the bench runs it (its defaults). */
export const REFRESH_SECONDS = 1;
export const PROCESS_SCAN_SECONDS = 2;

export interface FallbackCost {
  /** Both samplers in the same pseudo-terminal, one after the other: CPU (children included) and RSS. */
  runs: SelfCost[];
  /** Each under strace -f, for the processes it started and which programs they ran; empty without strace. */
  traces: SpawnTrace[];
  traceSkipped: string | null;
  /** What the fallback may start in a trace window: one ps per scan, one command per refresh. */
  childBudget: number;
}

/** The same dashboard, once on /proc and once on the fallback (forced with PARATOP_SAMPLER, as on macOS). */
export function samplerTools(): Tool[] {
  return [
    { name: 'paratop, linux sampler', command: process.execPath, args: [BIN], env: { PARATOP_SAMPLER: 'linux' } },
    {
      name: 'paratop, fallback sampler',
      command: process.execPath,
      args: [BIN],
      env: { PARATOP_SAMPLER: 'fallback' },
    },
  ];
}

/**
 * The fallback sampler beside the Linux one, measured as the self-cost section measures tools: CPU of
 * the process and its reaped children (ps included) over the window, RSS, and under strace -f every
 * process it started, by program.
 */
export async function measureFallbackCost(
  warmupSeconds: number,
  windowSeconds: number,
  traceSeconds: number,
  log: (line: string) => void,
): Promise<FallbackCost> {
  const runs: SelfCost[] = [];
  const traces: SpawnTrace[] = [];
  for (const tool of samplerTools()) {
    log(`  measuring ${tool.name} with ${processCount()} processes (${warmupSeconds + windowSeconds} s)…`);
    runs.push(await measureSelfCost(tool, warmupSeconds, windowSeconds));
  }
  const traceSkipped = straceAvailable() ? null : 'strace is not installed';
  if (!traceSkipped) {
    for (const tool of samplerTools()) {
      log(`  ${tool.name} under strace -f (${warmupSeconds + traceSeconds} s)…`);
      traces.push(await traceSpawns(tool, warmupSeconds, traceSeconds));
    }
  }
  const childBudget = Math.ceil(traceSeconds / PROCESS_SCAN_SECONDS) + Math.ceil(traceSeconds / REFRESH_SECONDS);
  return { runs, traces, traceSkipped, childBudget };
}
