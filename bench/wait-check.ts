import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN } from './paths.js';

/**
 * WAIT% (paratop: schedstat run delay per task) against sources that share none of its code:
 * `perf sched` (the scheduler's tracepoints, root) and, where the kernel has CONFIG_SCHEDSTATS,
 * /proc/schedstat's per-core run-delay total. A known load makes the figures mean something:
 * SPINNERS busy loops pinned to the last core (each should wait (n-1)/n of the time) and one
 * process that mostly sleeps (should wait about 0).
 */
export interface WaitCheck {
  windowSeconds: number;
  /** Why `perf sched` was not used; null when it was. */
  perfSkipped: string | null;
  /** Why /proc/schedstat was not used; null when it was. */
  schedstatSkipped: string | null;
  core: number;
  tasks: WaitTask[];
  /** /proc/schedstat: the pinned core's run delay over the window, in cores' worth (1 = one task waiting all along). */
  coreWaitingTasks: number | null;
}

export interface WaitTask {
  pid: number;
  what: 'spinner' | 'sleeper';
  /** From `paratop watch`, over its interval. */
  paratopWaitPercent: number | null;
  /** From `perf sched latency`: total delay over the traced window. */
  perfWaitPercent: number | null;
  /** The known load's share: (n-1)/n for n spinners on one core, 0 for the sleeper. */
  expectedWaitPercent: number;
}

export const SPINNERS = 4;
const TAG = 'paratop-wait-check';

/** One row of `perf sched latency -p`: task, runtime, switches, average delay. */
export interface PerfLatencyRow {
  pid: number;
  runtimeMs: number;
  switches: number;
  delayMs: number;
}

/** Rows like `  sh:5024 | 752.181 ms | 188 | avg: 11.935 ms | max: ...`; the delay is avg × switches. */
export function parsePerfLatency(text: string): PerfLatencyRow[] {
  const rows: PerfLatencyRow[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*.*:(\d+)\s*\|\s*([\d.]+) ms\s*\|\s*(\d+)\s*\|\s*avg:\s*([\d.]+) ms/.exec(line);
    if (!match) continue;
    const switches = Number(match[3]);
    rows.push({
      pid: Number(match[1]),
      runtimeMs: Number(match[2]),
      switches,
      delayMs: Number(match[4]) * switches,
    });
  }
  return rows;
}

/** /proc/schedstat's `cpuN` lines: field 8 is the time tasks spent waiting to run on that core (ns). */
export function parseCoreRunDelays(text: string): Map<number, number> {
  const delays = new Map<number, number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const id = /^cpu(\d+)$/.exec(fields[0] ?? '');
    if (!id || fields.length < 9) continue;
    delays.set(Number(id[1]), Number(fields[8]));
  }
  return delays;
}

/** Why `perf sched` cannot trace here, or null when it can. */
export function perfSchedUnavailable(): string | null {
  const version = spawnSync('perf', ['version'], { encoding: 'utf8' });
  if (version.status !== 0) return 'perf is not installed (Debian: linux-perf)';
  if (process.getuid?.() !== 0) return 'perf sched needs root (scheduler tracepoints)';
  const list = spawnSync('perf', ['list', 'sched:sched_switch'], { encoding: 'utf8' });
  if (!list.stdout.includes('sched:sched_switch')) return 'the kernel exposes no sched:sched_switch tracepoint to perf';
  return null;
}

function spawnTagged(command: string, args: string[]): ChildProcess {
  return spawn(command, [...args], { stdio: 'ignore', env: { ...process.env, PARATOP_BENCH: TAG } });
}

async function waitFor(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** The second `paratop watch` reading (the first has no interval behind it) of the given PIDs. */
async function paratopWaits(
  pids: number[],
  windowSeconds: number,
  onFirst: () => void,
): Promise<Map<number, number | null>> {
  const watch = spawn(
    process.execPath,
    [BIN, 'watch', '--interval', String(windowSeconds), '--count', '2', '--filter', TAG],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const waits = new Map<number, number | null>();
  let line = 0;
  for await (const text of createInterface({ input: watch.stdout })) {
    line += 1;
    if (line === 1) {
      onFirst();
      continue;
    }
    const reading = JSON.parse(text) as { processes: { pid: number; waitPercent: number | null }[] };
    for (const process of reading.processes)
      if (pids.includes(process.pid)) waits.set(process.pid, process.waitPercent);
  }
  await waitFor(watch);
  return waits;
}

/**
 * Starts the known load, then over the same window: `paratop watch` (its second reading), `perf sched
 * record` and /proc/schedstat before and after. Every process started here is ended before returning.
 */
export async function measureWaitCheck(windowSeconds: number): Promise<WaitCheck> {
  const core = cpus().length - 1;
  const perfSkipped = perfSchedUnavailable();
  const schedstatSkipped = existsSync('/proc/schedstat')
    ? null
    : 'no /proc/schedstat: the kernel is built without CONFIG_SCHEDSTATS (per-task schedstat still works)';
  if (spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status !== 0)
    throw new Error('the wait check needs taskset (util-linux) to pin its spinners');

  const spinners = Array.from({ length: SPINNERS }, () =>
    spawnTagged('taskset', ['-c', String(core), 'sh', '-c', 'while :; do :; done', TAG]),
  );
  const sleeper = spawnTagged(process.execPath, ['-e', 'setInterval(() => {}, 20)', TAG]);
  const children = [...spinners, sleeper];
  const folder = mkdtempSync(join(tmpdir(), 'paratop-wait-'));
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pids = children.map((child) => child.pid ?? -1);
    const traced = Math.max(1, windowSeconds - 1);
    const started: { perf?: ChildProcess; coreDelay?: number } = {};
    const dataFile = join(folder, 'perf.data');
    const waits = await paratopWaits(pids, windowSeconds, () => {
      if (!schedstatSkipped) started.coreDelay = parseCoreRunDelays(readFileSync('/proc/schedstat', 'utf8')).get(core);
      if (perfSkipped) return;
      // The trace runs inside paratop's interval; the load is steady, so the shares compare.
      started.perf = spawn('perf', ['sched', 'record', '-o', dataFile, '--', 'sleep', String(traced)], {
        stdio: 'ignore',
      });
    });
    const coreDelayAfter = schedstatSkipped
      ? undefined
      : parseCoreRunDelays(readFileSync('/proc/schedstat', 'utf8')).get(core);
    let perfRows: PerfLatencyRow[] = [];
    if (started.perf) {
      await waitFor(started.perf);
      const latency = spawnSync('perf', ['sched', 'latency', '-p', '-i', dataFile], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      perfRows = parsePerfLatency(latency.stdout);
    }
    const tasks: WaitTask[] = pids.map((pid, index) => {
      const row = perfRows.find((candidate) => candidate.pid === pid);
      return {
        pid,
        what: index < SPINNERS ? 'spinner' : 'sleeper',
        paratopWaitPercent: waits.get(pid) ?? null,
        perfWaitPercent: row ? (row.delayMs / (traced * 1000)) * 100 : null,
        expectedWaitPercent: index < SPINNERS ? ((SPINNERS - 1) / SPINNERS) * 100 : 0,
      };
    });
    const coreWaitingTasks =
      started.coreDelay !== undefined && coreDelayAfter !== undefined
        ? (coreDelayAfter - started.coreDelay) / 1e9 / windowSeconds
        : null;
    return { windowSeconds, perfSkipped, schedstatSkipped, core, tasks, coreWaitingTasks };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(waitFor));
    rmSync(folder, { recursive: true, force: true });
  }
}
