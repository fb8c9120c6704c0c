import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './paths.js';
import {
  cpuSecondsWithChildren,
  forksSinceBoot,
  processCount,
  quitPty,
  rssMegabytes,
  sleep,
  startInPty,
} from './pty-process.js';

export interface SelfCost {
  tool: string;
  processes: number;
  /** % of one core over the window, the process and its reaped children */
  cpuPercent: number;
  rssMeanMb: number;
  rssPeakMb: number;
  /** forks on the whole machine during the window (/proc/stat `processes`; the bench itself forks none) */
  machineForks: number;
}

/** Forks on the whole machine in a window of the same length with no tool running. */
export interface ForkBaseline {
  processes: number;
  windowSeconds: number;
  machineForks: number;
}

/** A separate short run under strace: what the tool itself created once warmed up. */
export interface SpawnTrace {
  tool: string;
  windowSeconds: number;
  /** fork, vfork, and clone/clone3 without CLONE_THREAD: new processes */
  processes: number;
  /** execve/execveat calls (failed attempts along the PATH included) */
  execs: number;
  /** clone/clone3 with CLONE_THREAD: new threads (not spawning, shown for completeness) */
  threads: number;
  /** execve calls that did not fail, by the program's file name (ps, cat, sh...) */
  programs: Record<string, number>;
}

export interface Tool {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export const PARATOP_LIST_EVERY_SECOND = 'paratop, list every 1 s';

/**
 * paratop as `npm start` runs it (and with its process list read as often as htop's), and whichever of htop, btop and
 * top are installed, all at 1 s.
 */
export function tools(): { tools: Tool[]; cleanUp(): void } {
  const list: Tool[] = [
    { name: 'paratop', command: process.execPath, args: [BIN] },
    // The list re-read every second, as htop -d 10 does (paratop's default is every 2 s).
    { name: PARATOP_LIST_EVERY_SECOND, command: process.execPath, args: [BIN, '--process-interval', '1'] },
  ];
  const config = mkdtempSync(join(tmpdir(), 'paratop-bench-config-'));
  if (installed('htop')) list.push({ name: 'htop -d 10', command: 'htop', args: ['-d', '10'] });
  if (installed('btop')) {
    // btop 1.2 has no interval flag: a throwaway config sets 1000 ms.
    mkdirSync(join(config, 'btop'));
    writeFileSync(join(config, 'btop', 'btop.conf'), 'update_ms = 1000\n');
    list.push({ name: 'btop (1 s)', command: 'btop', args: ['--utf-force'], env: { XDG_CONFIG_HOME: config } });
  }
  if (installed('top')) list.push({ name: 'top -d 1', command: 'top', args: ['-d', '1'] });
  return { tools: list, cleanUp: () => rmSync(config, { recursive: true, force: true }) };
}

export async function measureSelfCost(
  tool: Tool,
  warmupSeconds: number,
  windowSeconds: number,
  window: { start?(): void; end?(): void } = {},
): Promise<SelfCost> {
  const terminal = startInPty(tool.command, tool.args, tool.env);
  const pid = terminal.pid;
  try {
    await sleep(warmupSeconds * 1000);
    window.start?.();
    const cpuBefore = cpuSecondsWithChildren(pid) ?? 0;
    const forksBefore = forksSinceBoot();
    const started = performance.now();
    const rss: number[] = [];
    for (let second = 1; performance.now() - started < windowSeconds * 1000; second += 1) {
      rss.push(rssMegabytes(pid) ?? 0);
      await sleep(Math.max(0, started + second * 1000 - performance.now()));
    }
    const cpuAfter = cpuSecondsWithChildren(pid) ?? cpuBefore;
    window.end?.();
    const seconds = (performance.now() - started) / 1000;
    return {
      tool: tool.name,
      processes: processCount(),
      cpuPercent: ((cpuAfter - cpuBefore) / seconds) * 100,
      rssMeanMb: rss.reduce((sum, value) => sum + value, 0) / Math.max(1, rss.length),
      rssPeakMb: Math.max(...rss),
      machineForks: forksSinceBoot() - forksBefore,
    };
  } finally {
    await quitPty(terminal);
  }
}

/**
 * Extra idle processes, to see how each tool scales with the process count. topUp() replaces any
 * that something else on the machine ended (returns how many), so each tool sees the same count.
 */
export function startIdleProcesses(count: number): { topUp(): number; stop(): void } {
  const start = (): ChildProcess => spawn('sleep', ['3600'], { stdio: 'ignore' });
  const sleepers: ChildProcess[] = Array.from({ length: count }, start);
  return {
    topUp: () => {
      let replaced = 0;
      for (const [index, sleeper] of sleepers.entries()) {
        if (sleeper.exitCode === null && sleeper.signalCode === null) continue;
        sleepers[index] = start();
        replaced += 1;
      }
      return replaced;
    },
    stop: () => {
      for (const sleeper of sleepers) sleeper.kill('SIGKILL');
    },
  };
}

/** The machine's forks over `windowSeconds` with no tool running: the background the tools are compared with. */
export async function measureIdleForks(windowSeconds: number): Promise<ForkBaseline> {
  const before = forksSinceBoot();
  await sleep(windowSeconds * 1000);
  return { processes: processCount(), windowSeconds, machineForks: forksSinceBoot() - before };
}

/**
 * Process creations in strace -f output (-ttt timestamps) within [from, to) epoch seconds. Each
 * call is counted once, on its first line (a call cut by another thread's continues on a "resumed" line).
 */
export function countSpawns(trace: string, from: number, to: number): Omit<SpawnTrace, 'tool' | 'windowSeconds'> {
  const counts = { processes: 0, execs: 0, threads: 0, programs: {} as Record<string, number> };
  for (const line of trace.split('\n')) {
    const match = /^(?:\[pid +)?\d+\]? +(\d+\.\d+) (fork|vfork|clone3?|execveat|execve)\(/.exec(line);
    if (!match || Number(match[1]) < from || Number(match[1]) >= to) continue;
    const call = match[2];
    if (call === 'execve' || call === 'execveat') {
      counts.execs += 1;
      // A failed try along the PATH is not a program run.
      const program = /execve\("(?:[^"]*\/)?([^"/]+)"/.exec(line)?.[1];
      if (program && !/= -1 E/.test(line)) counts.programs[program] = (counts.programs[program] ?? 0) + 1;
    } else if ((call === 'clone' || call === 'clone3') && line.includes('CLONE_THREAD')) counts.threads += 1;
    else counts.processes += 1;
  }
  return counts;
}

export function straceAvailable(): boolean {
  return installed('strace');
}

/**
 * The tool under `strace -f`, in the same pseudo-terminal, warmed up as in the CPU run; every fork,
 * clone and exec in the window after the warm-up is counted, so no child can be missed however short
 * it lives. strace slows the tool down, so this run is separate and its CPU is not measured.
 */
export async function traceSpawns(tool: Tool, warmupSeconds: number, windowSeconds: number): Promise<SpawnTrace> {
  const dir = mkdtempSync(join(tmpdir(), 'paratop-bench-strace-'));
  const output = join(dir, 'trace');
  const args = [
    '-f',
    '-qq',
    '-ttt',
    '-e',
    'trace=fork,vfork,clone,clone3,execve,execveat',
    '-o',
    output,
    '--',
    tool.command,
    ...tool.args,
  ];
  const epochSeconds = (): number => (performance.timeOrigin + performance.now()) / 1000;
  try {
    const terminal = startInPty('strace', args, tool.env);
    let from = 0;
    let to = 0;
    try {
      await sleep(warmupSeconds * 1000);
      from = epochSeconds();
      await sleep(windowSeconds * 1000);
      to = epochSeconds();
    } finally {
      await quitPty(terminal);
    }
    return { tool: tool.name, windowSeconds, ...countSpawns(readFileSync(output, 'utf8'), from, to) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
