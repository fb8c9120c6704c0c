import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './paths.js';
import { childrenNow, cpuSecondsWithChildren, forksSinceBoot, processCount, rssMegabytes, sleep, startInPty } from './pty-process.js';

export interface SelfCost {
  tool: string;
  processes: number;
  /** % of one core over the window, the process and its reaped children */
  cpuPercent: number;
  rssMeanMb: number;
  rssPeakMb: number;
  /** distinct child processes seen (polled every 50 ms) */
  childrenSeen: number;
  /** forks on the whole machine during the window (the bench itself forks none) */
  machineForks: number;
}

interface Tool {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** paratop as `npm start` runs it, and whichever of htop, btop and top are installed, all at 1 s. */
export function tools(): { tools: Tool[]; cleanUp(): void } {
  const list: Tool[] = [{ name: 'paratop', command: process.execPath, args: [BIN] }];
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

export async function measureSelfCost(tool: Tool, warmupSeconds: number, windowSeconds: number): Promise<SelfCost> {
  const terminal = startInPty(tool.command, tool.args, tool.env);
  const pid = terminal.pid;
  try {
    await sleep(warmupSeconds * 1000);
    const children = new Set<string>();
    const cpuBefore = cpuSecondsWithChildren(pid) ?? 0;
    const forksBefore = forksSinceBoot();
    const started = performance.now();
    const rss: number[] = [];
    let nextRss = started;
    while (performance.now() - started < windowSeconds * 1000) {
      for (const child of childrenNow(pid)) children.add(child);
      if (performance.now() >= nextRss) {
        rss.push(rssMegabytes(pid) ?? 0);
        nextRss += 1000;
      }
      await sleep(50);
    }
    const cpuAfter = cpuSecondsWithChildren(pid) ?? cpuBefore;
    const seconds = (performance.now() - started) / 1000;
    return {
      tool: tool.name,
      processes: processCount(),
      cpuPercent: ((cpuAfter - cpuBefore) / seconds) * 100,
      rssMeanMb: rss.reduce((sum, value) => sum + value, 0) / Math.max(1, rss.length),
      rssPeakMb: Math.max(...rss),
      childrenSeen: children.size,
      machineForks: forksSinceBoot() - forksBefore,
    };
  } finally {
    terminal.write('q');
    await Promise.race([new Promise((resolve) => terminal.onExit(resolve)), sleep(3000)]);
    try {
      terminal.kill('SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Extra idle processes, to see how each tool scales with the process count. */
export function startIdleProcesses(count: number): { stop(): void } {
  const sleepers: ChildProcess[] = [];
  for (let index = 0; index < count; index += 1) sleepers.push(spawn('sleep', ['3600'], { stdio: 'ignore' }));
  return {
    stop: () => {
      for (const sleeper of sleepers) sleeper.kill('SIGKILL');
    },
  };
}
