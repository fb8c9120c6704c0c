import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForExit } from './processes.js';

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
export const PROMETHEUS = '/usr/bin/prometheus';

/** A free loopback port: bound by the kernel's choice, then let go. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A /proc tree of a host with `cores` cores for node_exporter's --path.procfs: stat, meminfo,
 * loadavg. `tick` moves every core's counters on (busy `busyShare` of each tick), written whole
 * and renamed into place, so the exporter never reads half a file.
 */
export class FakeProcTree {
  readonly root = mkdtempSync(join(tmpdir(), 'paratop-host-'));
  readonly procfs = join(this.root, 'proc');
  readonly sysfs = join(this.root, 'sys');
  private ticks = 0;

  constructor(
    readonly cores: number,
    readonly memTotalKb: number,
    private readonly busyShare = 0.5,
  ) {
    mkdirSync(this.procfs, { recursive: true });
    mkdirSync(this.sysfs, { recursive: true });
    this.write(
      'meminfo',
      `MemTotal: ${memTotalKb} kB\nMemFree: ${memTotalKb / 2} kB\nMemAvailable: ${(memTotalKb * 3) / 4} kB\n` +
        'Buffers: 1024 kB\nCached: 4096 kB\nSwapCached: 0 kB\nSwapTotal: 2048 kB\nSwapFree: 1024 kB\n' +
        'SReclaimable: 1024 kB\n',
    );
    this.write('loadavg', `${cores / 4} 0.50 0.25 2/300 4242\n`);
    this.tick();
  }

  /** A tenth of a second more on every core (10 ticks at USER_HZ 100): call it every 100 ms for real time. */
  tick(): void {
    this.ticks += 10;
    const busy = Math.round(this.ticks * this.busyShare);
    const line = (name: string, scale: number): string =>
      `${name} ${busy * scale} 0 0 ${(this.ticks - busy) * scale} 0 0 0 0 0 0`;
    const lines = [line('cpu ', this.cores)];
    for (let core = 0; core < this.cores; core += 1) lines.push(line(`cpu${core}`, 1));
    lines.push('intr 0', 'ctxt 1000', 'btime 1700000000', 'processes 100', 'procs_running 1', 'procs_blocked 0');
    this.write('stat', `${lines.join('\n')}\n`);
  }

  private write(name: string, text: string): void {
    const temporary = join(this.procfs, `.${name}.new`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(this.procfs, name));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Started programs, ended by PID after the test; `leftAlive` says which PIDs are still running. */
export class Started {
  readonly children: ChildProcess[] = [];

  nodeExporter(tree: FakeProcTree, port: number): ChildProcess {
    return this.start(NODE_EXPORTER, [
      `--web.listen-address=127.0.0.1:${port}`,
      `--path.procfs=${tree.procfs}`,
      `--path.sysfs=${tree.sysfs}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.loadavg',
    ]);
  }

  prometheus(targets: string[], port: number, dir: string): ChildProcess {
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n' +
        `  - job_name: lab\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`,
    );
    return this.start(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
  }

  private start(program: string, args: string[]): ChildProcess {
    const child = spawn(program, args, { stdio: 'ignore' });
    this.children.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    for (const child of this.children) {
      try {
        await waitForExit(child, 5000);
      } catch {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
  }
}

/** Until `url` answers 200, or the deadline; true when it did. */
export async function untilAnswers(url: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.once('error', () => resolve(false));
      request.setTimeout(1000, () => request.destroy());
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Why a test that needs Debian's exporters cannot run, or false. */
export function missing(...programs: string[]): string | false {
  const packages: Record<string, string> = {
    [NODE_EXPORTER]: 'prometheus-node-exporter',
    [PROMETHEUS]: 'prometheus',
  };
  const absent = programs.filter((program) => !existsSync(program));
  if (process.platform !== 'linux') return 'node_exporter fixture trees are Linux /proc';
  return (
    absent.length > 0 &&
    `needs ${absent.join(' and ')} (Debian: apt-get install ${absent.map((p) => packages[p]).join(' ')})`
  );
}
