import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HostPoller } from '../src/hosts/host-poller.js';
import { createPrometheusSource } from '../src/hosts/prometheus-source.js';
import { createScrapeSource } from '../src/hosts/scrape-source.js';
import type { HostSource } from '../src/hosts/host-source.js';
import { TICKS_PER_SECOND, readPidTicks } from './proc-stat.js';

export interface HostsCost {
  how: 'prometheus' | 'scrape';
  hosts: number;
  cores: number;
  intervalSeconds: number;
  rounds: number;
  /** paratop's polling, % of one core over the measured rounds (from /proc/self/stat) */
  cpuPercent: number;
  cpuMsPerRound: number;
  cpuMsPerHost: number;
  /** median of the slowest host's time in each round */
  roundMsMedian: number;
  hostsUp: number;
  coresSeen: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Polls `sources` every interval for `rounds` rounds after one to warm up, timing this process's CPU from /proc. */
async function measure(
  how: HostsCost['how'],
  sources: HostSource[],
  hosts: number,
  cores: number,
  intervalSeconds: number,
  rounds: number,
): Promise<HostsCost> {
  const poller = new HostPoller(sources, { intervalMs: intervalSeconds * 1000 });
  try {
    await poller.poll();
    await poller.poll();
    const ticksBefore = readPidTicks(process.pid) ?? 0;
    const began = performance.now();
    const roundMs: number[] = [];
    let last = await poller.poll();
    for (let round = 0; round < rounds; round += 1) {
      const next = began + (round + 1) * intervalSeconds * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
      const started = performance.now();
      last = await poller.poll();
      roundMs.push(performance.now() - started);
    }
    const cpuSeconds = ((readPidTicks(process.pid) ?? 0) - ticksBefore) / TICKS_PER_SECOND;
    const wallSeconds = (performance.now() - began) / 1000;
    // The first poll after ticksBefore is counted too: rounds + 1 rounds of CPU.
    const cpuMsPerRound = (cpuSeconds * 1000) / (rounds + 1);
    return {
      how,
      hosts,
      cores,
      intervalSeconds,
      rounds,
      cpuPercent: (cpuSeconds / wallSeconds) * 100,
      cpuMsPerRound,
      cpuMsPerHost: cpuMsPerRound / hosts,
      roundMsMedian: median(roundMs),
      hostsUp: last.hosts.filter((host) => host.up).length,
      coresSeen: last.hosts.reduce((sum, host) => sum + (host.cores?.length ?? 0), 0),
    };
  } finally {
    await poller.stop();
  }
}

/**
 * The cost of watching many hosts: 200 hosts of 64 cores through a Prometheus query API, and
 * node_exporter bodies of 64 cores scraped directly, served by a separate process on loopback.
 */
export async function measureHostsCost(quick: boolean): Promise<HostsCost[]> {
  const cores = 64;
  const exporters = quick ? 50 : 200;
  const rounds = quick ? 5 : 15;
  const hostCounts = [200, 1000];
  const script = new URL('./hosts-server.ts', import.meta.url).pathname;
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', script, String(cores), String(exporters), ...hostCounts.map(String)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', (code) => reject(new Error(`the bench's hosts server exited (${code})`)));
    });
    const ports = JSON.parse(line) as { prometheus: Record<string, number>; exporters: number[] };
    const results: HostsCost[] = [];
    for (const hosts of hostCounts) {
      const source = createPrometheusSource(`http://127.0.0.1:${ports.prometheus[hosts]}/`, 'job="lab"');
      results.push(await measure('prometheus', [source], hosts, cores, 2, rounds));
    }
    const scrapes = ports.exporters.map((port) => {
      const host = `127.0.0.1:${port}`;
      return createScrapeSource({ host, name: host, url: `http://${host}/metrics` });
    });
    results.push(await measure('scrape', scrapes, exporters, cores, 2, rounds));
    return results;
  } finally {
    server.stdin.end();
    server.kill('SIGTERM');
  }
}
