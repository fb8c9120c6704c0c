import { spawn } from 'node:child_process';
import type { CacheLevel } from '../src/model/types.js';
import { createCollector } from '../src/export/collector.js';
import { DEFAULT_EXPORT_PROCESSES } from '../src/export/export-settings.js';
import { LatestSamples } from '../src/export/latest-samples.js';
import { readCaches } from '../src/sampler/caches/read-caches.js';
import { LinuxSampler } from '../src/sampler/linux/linux-sampler.js';
import { BIN } from './paths.js';
import { cpuSecondsWithChildren, processCount, sleep } from './pty-process.js';
import { startIdleProcesses } from './self-cost.js';

export interface ScrapeSpeed {
  processes: number;
  /** processes exported one by one (the top N by CPU) */
  exported: number;
  format: 'prometheus' | 'openmetrics';
  /** readings older than the freshness window (serve's every scrape): the scrape samples, then builds and writes */
  staleMedianMs: number;
  staleP95Ms: number;
  /** readings fresh (the dashboard's, or another scrape's): it only builds and writes */
  freshMedianMs: number;
  bodyBytes: number;
  scrapes: number;
}

export interface ServeIdle {
  windowSeconds: number;
  processes: number;
  /** % of one core used by `paratop serve` with nobody scraping, and scraped every second */
  idlePercent: number;
  scrapedEverySecondPercent: number;
  /** GET /metrics over loopback, request to last byte, of the scrapes every second (each reads afresh) */
  httpMedianMs: number;
  httpP95Ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

async function timeScrapes(exported: number, format: ScrapeSpeed['format'], scrapes: number): Promise<ScrapeSpeed> {
  const caches: readonly CacheLevel[] = readCaches();
  const sampler = new LinuxSampler();
  const choices = { processes: exported, cmdline: false };
  const stale = new LatestSamples(sampler, { systemMs: -1, processesMs: -1 });
  const staleScrape = createCollector({ samples: stale, caches: () => caches, choices });
  await staleScrape(format);
  const staleTimes: number[] = [];
  let bodyBytes = 0;
  for (let index = 0; index < scrapes; index += 1) {
    // A scraper's interval apart in spirit: a short pause, so each scan sees some CPU time pass.
    await sleep(20);
    const started = performance.now();
    bodyBytes = Buffer.byteLength((await staleScrape(format)).body);
    staleTimes.push(performance.now() - started);
  }
  const fresh = new LatestSamples(sampler, {
    systemMs: Number.POSITIVE_INFINITY,
    processesMs: Number.POSITIVE_INFINITY,
  });
  const freshScrape = createCollector({ samples: fresh, caches: () => caches, choices });
  await freshScrape(format);
  const freshTimes: number[] = [];
  for (let index = 0; index < scrapes; index += 1) {
    const started = performance.now();
    await freshScrape(format);
    freshTimes.push(performance.now() - started);
  }
  sampler.close();
  staleTimes.sort((a, b) => a - b);
  freshTimes.sort((a, b) => a - b);
  return {
    processes: processCount(),
    exported,
    format,
    staleMedianMs: percentile(staleTimes, 0.5),
    staleP95Ms: percentile(staleTimes, 0.95),
    freshMedianMs: percentile(freshTimes, 0.5),
    bodyBytes,
    scrapes,
  };
}

/** The scrape cost in this process, at this machine's process count and with idle processes added up to `target`. */
export async function measureScrapeSpeed(quick: boolean, target: number): Promise<ScrapeSpeed[]> {
  const scrapes = quick ? 30 : 200;
  const results: ScrapeSpeed[] = [];
  for (const extra of [0, Math.max(0, target - processCount())]) {
    const sleepers = extra > 0 ? startIdleProcesses(extra) : null;
    try {
      if (sleepers) await sleep(2000);
      for (const exported of [DEFAULT_EXPORT_PROCESSES, 100_000]) {
        for (const format of ['prometheus', 'openmetrics'] as const) {
          results.push(await timeScrapes(exported, format, scrapes));
        }
      }
    } finally {
      sleepers?.stop();
    }
  }
  return results;
}

async function scrapeOnce(url: string): Promise<number> {
  const started = performance.now();
  const reply = await fetch(url);
  await reply.text();
  return performance.now() - started;
}

/**
 * `paratop serve` as a real process (in V8's lean mode, as users run it): its CPU over a window with
 * nobody scraping, then scraped every second; with idle processes added up to `target`, if given.
 */
export async function measureServeIdle(windowSeconds: number, target = 0): Promise<ServeIdle> {
  const extra = Math.max(0, target - processCount());
  const sleepers = extra > 0 ? startIdleProcesses(extra) : null;
  try {
    return await measureServe(windowSeconds);
  } finally {
    sleepers?.stop();
  }
}

async function measureServe(windowSeconds: number): Promise<ServeIdle> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
        const found = /listening on (\S+)/.exec(stderr);
        if (found?.[1]) resolve(found[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const pid = child.pid ?? 0;
    await sleep(3000);
    const cpu = (): number => cpuSecondsWithChildren(pid) ?? Number.NaN;
    let before = cpu();
    await sleep(windowSeconds * 1000);
    const idle = cpu() - before;
    before = cpu();
    const started = performance.now();
    const times: number[] = [];
    for (let second = 1; second <= windowSeconds; second += 1) {
      times.push(await scrapeOnce(url));
      await sleep(Math.max(0, started + second * 1000 - performance.now()));
    }
    const scraped = cpu() - before;
    times.sort((a, b) => a - b);
    return {
      windowSeconds,
      processes: processCount(),
      idlePercent: (idle / windowSeconds) * 100,
      scrapedEverySecondPercent: (scraped / windowSeconds) * 100,
      httpMedianMs: percentile(times, 0.5),
      httpP95Ms: percentile(times, 0.95),
    };
  } finally {
    child.kill('SIGKILL');
  }
}
