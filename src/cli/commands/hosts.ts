import { setTimeout as sleep } from 'node:timers/promises';
import { HostPoller } from '../../hosts/host-poller.js';
import { type HostsChoice, hostSources } from '../../hosts/host-choice.js';
import { formatBytes, formatPercent } from '../../model/format.js';
import type { HostSample } from '../../model/host-sample.js';
import { toHostsRecord } from '../output/host-records.js';
import { writeOut } from '../output/write-out.js';
import { everyInterval } from './every-interval.js';

export interface HostsRunOptions extends HostsChoice {
  intervalSeconds: number;
  /** at most this many processes per host */
  limit: number | null;
}

function hostLine(host: HostSample): string {
  const cores = host.cores ?? [];
  const busy =
    cores.length > 0 ? `${formatPercent(cores.reduce((sum, core) => sum + core.total, 0) / cores.length)}%` : '-';
  const memory = host.memory ? `${formatBytes(host.memory.usedBytes)}/${formatBytes(host.memory.totalBytes)}` : '-';
  const load = host.loadAverage ? host.loadAverage.map((value) => value.toFixed(2)).join(' ') : '-';
  const state = host.up ? 'up' : 'down';
  const error = host.error ? `  ${host.error}` : '';
  return `${host.name}  ${state}  ${cores.length} cores ${busy}  mem ${memory}  load ${load}${error}\n`;
}

/** Two rounds an interval apart, so counters have rates; the second is printed. */
export async function runHostsSnapshot(options: HostsRunOptions & { format: 'json' | 'text' }): Promise<void> {
  const poller = new HostPoller(hostSources(options), { intervalMs: options.intervalSeconds * 1000 });
  try {
    const first = await poller.poll();
    await sleep(Math.max(0, first.at + options.intervalSeconds * 1000 - Date.now()));
    const round = await poller.poll();
    if (options.format === 'json') {
      await writeOut(`${JSON.stringify(toHostsRecord(round, options.intervalSeconds, options.limit), null, 2)}\n`);
    } else {
      await writeOut(round.hosts.map(hostLine).join(''));
    }
  } finally {
    await poller.stop();
  }
}

/** A round every interval, one NDJSON line each, until Ctrl-C or `count` lines. */
export async function runHostsWatch(options: HostsRunOptions & { count: number | null }): Promise<void> {
  const poller = new HostPoller(hostSources(options), { intervalMs: options.intervalSeconds * 1000 });
  try {
    // The first round only primes the counters, as watch does for this machine.
    await poller.poll();
    await everyInterval(options, async () => {
      const round = await poller.poll();
      await writeOut(`${JSON.stringify(toHostsRecord(round, options.intervalSeconds, options.limit))}\n`);
    });
  } finally {
    await poller.stop();
  }
}
