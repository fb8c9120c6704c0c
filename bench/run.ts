import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type Accuracy, measureAccuracy } from './accuracy.js';
import { type FallbackCost, measureFallbackCost } from './fallback-cost.js';
import { type HostsCost, measureHostsCost } from './hosts-cost.js';
import { type KeyLatency, measureKeyLatency } from './key-latency.js';
import { labTarget, measureLabSpeedups, speedupScenarios } from './lab-speedup.js';
import { type MemoryLadder, measureMemoryLadder } from './memory-ladder.js';
import { type StartUp, measureStartUp } from './start-up.js';
import { SPINNERS, type WaitCheck, measureWaitCheck } from './wait-check.js';
import { type RecordCost, measureRecordCost } from './record-cost.js';
import { formatBytes } from '../src/model/format.js';
import { cacheSummary, cacheSourceSummary } from '../src/model/machine-summary.js';
import { RESULTS_DIR } from './paths.js';
import { processCount, sleep } from './pty-process.js';
import { BUSY_FRACTION, type SamplerSpeed, measureSamplerSpeed } from './sampler-speed.js';
import { type ScrapeSpeed, type ServeIdle, measureScrapeSpeed, measureServeIdle } from './serve-scrape.js';
import {
  type ForkBaseline,
  type SelfCost,
  type SpawnTrace,
  measureIdleForks,
  measureSelfCost,
  PARATOP_LIST_EVERY_SECOND,
  startIdleProcesses,
  straceAvailable,
  tools,
  traceSpawns,
} from './self-cost.js';

/**
 * npm run bench [-- --quick] [-- --only self,sampler,keys,lab,accuracy,wait,memory,start,hosts,serve,fallback,record]
 * Prints each table as it is measured and writes everything (figures, targets met or missed with
 * the measured values, and the printed tables) to bench/results/<date>.json; --quick and --only
 * runs go to <date>-quick.json, <date>-<sections>.json, so they never replace a full run's file.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args[args.indexOf('--only') + 1];
const only = args.includes('--only') && onlyArg ? new Set(onlyArg.split(',')) : null;
const wanted = (section: string): boolean => !only || only.has(section);

const warmup = quick ? 3 : 5;
const window = quick ? 15 : 60;
const cores = cpus().length;

interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const targets: Target[] = [];
const check = (what: string, target: string, measured: string, met: boolean): void => {
  targets.push({ what, target, measured, met });
};

/** Every table as printed, kept for the results file (docs/performance.md quotes them). */
const printed: string[] = [];

function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const lines = [title];
  for (const [index, row] of cells.entries()) {
    lines.push(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    );
    if (index === 0) lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  }
  console.log(`\n${lines.join('\n')}`);
  printed.push(lines.join('\n'));
}

const fixed = (value: number | null | undefined, places = 2): string =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(places);

interface SelfCostReport {
  runs: (SelfCost & { extra: number })[];
  /** forks on the machine in a window as long, no tool running, per number of extra processes */
  baselines: (ForkBaseline & { extra: number })[];
  /** separate short runs under strace (few processes), or why there are none */
  spawnTraces: SpawnTrace[];
  spawnTraceSkipped: string | null;
}

/** Forks beyond the idle baseline that background noise explains: 3 standard deviations (Poisson) plus 3. */
const forkNoise = (baseline: number): number => 3 * Math.sqrt(baseline) + 3;

async function selfCost(): Promise<SelfCostReport> {
  const { tools: list, cleanUp } = tools();
  const runs: SelfCostReport['runs'] = [];
  const baselines: SelfCostReport['baselines'] = [];
  const spawnTraces: SpawnTrace[] = [];
  let spawnTraceSkipped: string | null = null;
  const traceWindow = quick ? 5 : 10;
  try {
    for (const extra of [0, 400]) {
      const sleepers = extra > 0 ? startIdleProcesses(extra) : null;
      try {
        await sleep(warmup * 1000);
        process.stdout.write(`  idle baseline (no tool) with ${processCount()} processes (${warmup + window} s)…\n`);
        baselines.push({ extra, ...(await measureIdleForks(window)) });
        for (const tool of list) {
          const replaced = sleepers?.topUp() ?? 0;
          if (replaced > 0) {
            process.stdout.write(
              `  (${replaced} of the extra idle processes had been ended by something else; replaced)\n`,
            );
            await sleep(1000);
          }
          process.stdout.write(`  measuring ${tool.name} with ${processCount()} processes (${warmup + window} s)…\n`);
          runs.push({ extra, ...(await measureSelfCost(tool, warmup, window)) });
        }
      } finally {
        sleepers?.stop();
      }
    }
    if (straceAvailable()) {
      for (const tool of list) {
        process.stdout.write(
          `  ${tool.name} under strace -f, counting forks, clones and execs (${warmup + traceWindow} s)…\n`,
        );
        spawnTraces.push(await traceSpawns(tool, warmup, traceWindow));
      }
    } else {
      spawnTraceSkipped = 'strace is not installed';
    }
  } finally {
    cleanUp();
  }
  const paratopAt = (extra: number): SelfCost | undefined =>
    runs.find((run) => run.tool === 'paratop' && run.extra === extra);
  const baselineAt = (extra: number): ForkBaseline | undefined =>
    baselines.find((baseline) => baseline.extra === extra);
  table(
    `Self cost: 1 s refresh, ${window} s after ${warmup} s warm-up, in a ` +
      `120x40 pseudo-terminal (CPU = % of one core, process + its reaped ` +
      `children; machine forks = /proc/stat "processes" over the window)`,
    ['tool', 'processes', 'CPU %', 'paratop / tool', 'RSS mean MB', 'RSS peak MB', 'machine forks'],
    [0, 400].flatMap((extra) => {
      const baseline = baselineAt(extra);
      const rows: (string | number)[][] = baseline
        ? [['(no tool: idle baseline)', baseline.processes, '', '', '', '', baseline.machineForks]]
        : [];
      for (const run of runs.filter((candidate) => candidate.extra === extra)) {
        const paratop = paratopAt(run.extra);
        rows.push([
          run.tool,
          run.processes,
          fixed(run.cpuPercent, 3),
          paratop && !run.tool.startsWith('paratop') ? `${fixed(paratop.cpuPercent / run.cpuPercent)}x` : '',
          fixed(run.rssMeanMb, 1),
          fixed(run.rssPeakMb, 1),
          run.machineForks,
        ]);
      }
      return rows;
    }),
  );
  if (spawnTraces.length > 0) {
    table(
      `Spawned, under strace -f (separate runs, ${traceWindow} s after ` +
        `${warmup} s warm-up, few processes; CPU not measured)`,
      ['tool', 'processes created', 'execve calls', 'threads created'],
      spawnTraces.map((trace) => [trace.tool, trace.processes, trace.execs, trace.threads]),
    );
  } else if (spawnTraceSkipped) {
    console.log(`\n(no strace check: ${spawnTraceSkipped})`);
  }
  for (const [extra, label] of [
    [0, 'few processes'],
    [400, '+400 processes'],
  ] as const) {
    const paratop = paratopAt(extra);
    const htop = runs.find((run) => run.tool.startsWith('htop') && run.extra === extra);
    const baseline = baselineAt(extra);
    if (paratop && htop)
      check(
        `CPU vs htop -d 10 (${label})`,
        `<= ${fixed(htop.cpuPercent, 3)}%`,
        `${fixed(paratop.cpuPercent, 3)}%`,
        paratop.cpuPercent <= htop.cpuPercent,
      );
    const everySecond = runs.find((run) => run.tool === PARATOP_LIST_EVERY_SECOND && run.extra === extra);
    if (everySecond && htop) {
      check(
        `CPU vs htop -d 10, process list every 1 s like htop's (${label})`,
        `<= ${fixed(htop.cpuPercent, 3)}%`,
        `${fixed(everySecond.cpuPercent, 3)}%`,
        everySecond.cpuPercent <= htop.cpuPercent,
      );
    }
    if (paratop && baseline) {
      const excess = paratop.machineForks - baseline.machineForks;
      check(
        `machine forks in paratop's window vs idle baseline (${label})`,
        `excess <= ${fixed(forkNoise(baseline.machineForks), 0)} (noise)`,
        `${paratop.machineForks} vs ${baseline.machineForks} (excess ${excess})`,
        excess <= forkNoise(baseline.machineForks),
      );
    }
  }
  const traced = spawnTraces.find((trace) => trace.tool === 'paratop');
  if (traced)
    check(
      'processes spawned by paratop (strace -f)',
      '0',
      `${traced.processes} created, ${traced.execs} execve calls in ${traced.windowSeconds} s`,
      traced.processes === 0 && traced.execs === 0,
    );
  const paratop = paratopAt(0);
  if (paratop)
    check(
      'RSS (few processes)',
      '< 55 MB',
      `mean ${fixed(paratop.rssMeanMb, 1)}, peak ${fixed(paratop.rssPeakMb, 1)} MB`,
      paratop.rssPeakMb < 55,
    );
  return { runs, baselines, spawnTraces, spawnTraceSkipped };
}

async function samplerSpeed(): Promise<SamplerSpeed[]> {
  const results = await measureSamplerSpeed(quick);
  table(
    `Sampler: one full process scan (ms); generated trees all idle, and ` +
      `with ${BUSY_FRACTION * 100}% of processes given new CPU time before ` +
      `each scan (the realistic case, used for the targets)`,
    ['tree', 'processes', 'first scan', 'median', 'p95', 'scans'],
    results.map((result) => [
      result.tree,
      result.processes,
      fixed(result.coldMs),
      fixed(result.medianMs),
      fixed(result.p95Ms),
      result.scans,
    ]),
  );
  const at = (count: number): SamplerSpeed | undefined =>
    results.find((result) => result.processes === count && result.busyFraction === BUSY_FRACTION);
  const thousand = at(1000);
  const tenThousand = at(10_000);
  if (thousand)
    check(
      `sample of 1,000 processes (${BUSY_FRACTION * 100}% busy)`,
      '< 10 ms',
      `median ${fixed(thousand.medianMs)} ms`,
      thousand.medianMs < 10,
    );
  if (tenThousand)
    check(
      `sample of 10,000 processes (${BUSY_FRACTION * 100}% busy)`,
      '< 100 ms',
      `median ${fixed(tenThousand.medianMs)} ms`,
      tenThousand.medianMs < 100,
    );
  return results;
}

async function keyLatency(): Promise<KeyLatency> {
  const result = await measureKeyLatency(quick ? 60 : 200);
  table(
    `Key to frame (selection move, sampling paused): to the last byte of ` +
      `the frame that moved the selected row, drawn by a headless xterm; ` +
      `frame complete after ${result.quietMs} ms of quiet (not counted); a ` +
      `press with no frame in ${result.timeoutMs} ms is a timeout and counts ` +
      `as ${result.timeoutMs} ms`,
    ['presses', 'timeouts', 'p50 ms', 'p95 ms', 'max ms'],
    [[result.presses, result.timeouts, fixed(result.p50Ms), fixed(result.p95Ms), fixed(result.maxMs)]],
  );
  check(
    'key-to-frame p95 (timeouts counted)',
    '< 30 ms',
    `${fixed(result.p95Ms)} ms, ${result.timeouts} timeouts in ${result.presses}`,
    result.p95Ms < 30,
  );
  return result;
}

async function lab(): Promise<Awaited<ReturnType<typeof measureLabSpeedups>>> {
  const seconds = quick ? 1.5 : 3;
  const idleBefore = loadavg()[0] ?? 0;
  const measured = await measureLabSpeedups(seconds, (line) => console.log(line));
  const { points, skipped, freeThreadedPython } = measured;
  table(
    `Lab: ${cores} cores; each run ${seconds} s (threads-join: a job of ` +
      `that size per worker, timed to completion); cores used by paratop and ` +
      `by the bench from /proc over the same window; other = the rest of the ` +
      `machine, in cores (load average before: ${idleBefore.toFixed(2)})`,
    ['scenario', 'workers', 'cores (paratop)', 'cores (/proc)', 'other', 'units/s', 'speedup'],
    points.map((point) => [
      point.scenario,
      point.workers,
      fixed(point.coresUsed),
      fixed(point.coresUsedProc),
      fixed(point.otherCores),
      Math.round(point.unitsPerSecond),
      fixed(point.speedup),
    ]),
  );
  for (const skip of skipped) console.log(`  skipped ${skip.scenario}: ${skip.reason}`);
  for (const scenario of speedupScenarios()) {
    const mine = points.filter((point) => point.scenario === scenario.id);
    const target = labTarget(scenario, freeThreadedPython);
    const skip = skipped.find((candidate) => candidate.scenario === scenario.id);
    if (target === 'speedup') {
      const point = mine.find((candidate) => candidate.workers === cores);
      if (point?.speedup) {
        check(
          `${scenario.id}: speedup at ${cores} workers`,
          `>= ${fixed(0.95 * cores)}`,
          `${fixed(point.speedup)} (cores ${fixed(point.coresUsedProc)}, other load ${fixed(point.otherCores)})`,
          point.speedup >= 0.95 * cores,
        );
      } else {
        check(
          `${scenario.id}: speedup at ${cores} workers`,
          `>= ${fixed(0.95 * cores)}`,
          skip ? `not run: ${skip.reason}` : 'not measured',
          false,
        );
      }
    } else if (target === 'one-core') {
      const worst = Math.max(...mine.map((point) => Math.max(point.coresUsedProc ?? 0, point.coresUsed ?? 0)));
      const byCount = mine.map((point) => `${point.workers}: ${fixed(point.coresUsedProc)}`).join(', ');
      const measuredText =
        mine.length > 0
          ? `at most ${fixed(worst)} cores (${byCount})`
          : skip
            ? `not run: ${skip.reason}`
            : 'not measured';
      check(`${scenario.id}: cores used at any count`, '< 1.05 cores', measuredText, mine.length > 0 && worst < 1.05);
    }
  }
  return measured;
}

async function accuracy(): Promise<Accuracy> {
  const result = await measureAccuracy(quick ? 5 : 10);
  const pinned = result.pinned;
  table(
    `Accuracy: per-core busy % from \`paratop watch\` against the bench's ` +
      `own /proc/stat reading (bench/proc-stat.ts) at the same moments (skew ` +
      `mean ${fixed(result.skewMs.mean)} ms, max ${fixed(result.skewMs.max)} ` +
      `ms; polled every ${result.pollMs} ms); one process spinning` +
      (pinned?.by ? `, pinned to core ${pinned.core} by taskset` : ', not pinned (no taskset)'),
    ['core-intervals', 'max diff (points)', 'mean diff', 'pinned core: paratop mean / min', 'independent mean / min'],
    [
      [
        result.intervals,
        fixed(result.maxDifference),
        fixed(result.meanDifference),
        pinned ? `${fixed(pinned.paratopMean, 1)} / ${fixed(pinned.paratopMin, 1)}` : '-',
        pinned ? `${fixed(pinned.independentMean, 1)} / ${fixed(pinned.independentMin, 1)}` : '-',
      ],
    ],
  );
  check(
    'per-core readings vs independent /proc/stat',
    'within 3 points',
    `max ${fixed(result.maxDifference)} points`,
    result.maxDifference <= 3,
  );
  if (pinned?.by)
    check(
      `pinned core ${pinned.core} (known load 100%)`,
      'paratop >= 97% every interval',
      `min ${fixed(pinned.paratopMin, 1)}%, mean ${fixed(pinned.paratopMean, 1)}%`,
      pinned.paratopMin >= 97,
    );
  return result;
}

async function waitCheck(): Promise<WaitCheck> {
  const result = await measureWaitCheck(quick ? 4 : 8);
  const skipped = [
    result.perfSkipped && `perf sched not used: ${result.perfSkipped}`,
    result.schedstatSkipped && `/proc/schedstat not used: ${result.schedstatSkipped}`,
  ].filter(Boolean);
  table(
    `WAIT% (paratop watch, per-task schedstat) against perf sched latency (scheduler tracepoints) over ` +
      `${result.windowSeconds} s: ${SPINNERS} busy loops pinned to core ${result.core}, one mostly sleeping process` +
      (result.coreWaitingTasks === null
        ? ''
        : `; /proc/schedstat says ${fixed(result.coreWaitingTasks)} tasks waited on core ${result.core} on average`) +
      (skipped.length > 0 ? `. ${skipped.join('; ')}` : ''),
    ['task', 'pid', 'paratop WAIT%', 'perf sched WAIT%', 'known load'],
    result.tasks.map((task) => [
      task.what,
      task.pid,
      fixed(task.paratopWaitPercent, 1),
      fixed(task.perfWaitPercent, 1),
      fixed(task.expectedWaitPercent, 0),
    ]),
  );
  const differences = result.tasks.flatMap((task) =>
    task.paratopWaitPercent !== null && task.perfWaitPercent !== null
      ? [Math.abs(task.paratopWaitPercent - task.perfWaitPercent)]
      : [],
  );
  if (!result.perfSkipped)
    check(
      'WAIT% vs perf sched latency, per task',
      'within 5 points',
      differences.length > 0 ? `max ${fixed(Math.max(...differences), 1)} points` : 'no task compared',
      differences.length === result.tasks.length && Math.max(...differences) <= 5,
    );
  const spinners = result.tasks.filter((task) => task.what === 'spinner');
  const spinnerWaits = spinners.map((task) => task.paratopWaitPercent ?? Number.NaN);
  check(
    `WAIT% of ${SPINNERS} loops on one core (known load ${fixed(spinners[0]?.expectedWaitPercent, 0)}%)`,
    'each within 10 points',
    spinnerWaits.map((wait) => fixed(wait, 1)).join(', '),
    spinners.every((task) => Math.abs((task.paratopWaitPercent ?? Number.NaN) - task.expectedWaitPercent) <= 10),
  );
  if (result.coreWaitingTasks !== null) {
    const paratopWaiting = spinnerWaits.reduce((sum, wait) => sum + wait / 100, 0);
    check(
      `tasks waiting on core ${result.core}: paratop's spinners vs /proc/schedstat`,
      'within 0.3 (other tasks wait there too)',
      `${fixed(paratopWaiting)} vs ${fixed(result.coreWaitingTasks)}`,
      Math.abs(paratopWaiting - result.coreWaitingTasks) <= 0.3,
    );
  }
  return result;
}

async function memoryLadder(): Promise<MemoryLadder> {
  const ladder = await measureMemoryLadder(quick ? 8 : 20);
  table(
    `Memory hierarchy of this machine: ns per dependent load by working ` +
      `set (paratop lab run memory-hierarchy; pages at random, at random ` +
      `within each page). The OS reports: ${cacheSummary(ladder.reported)}` +
      (ladder.reported.length > 0 ? ` (${cacheSourceSummary(ladder.reported)})` : ''),
    ['working set', 'ns per load'],
    ladder.points.map((point) => [formatBytes(point.bytes), fixed(point.nsPerLoad)]),
  );
  table(
    'Measured steps, beside what the OS reports',
    ['step', 'up to', 'ns per load', 'OS reports'],
    ladder.steps.map((step, at) => {
      const name = at === 0 ? 'L1d' : step.name;
      const reported = ladder.reported.find((cache) => cache.name === name);
      return [
        step.name,
        step.name === 'RAM' ? '-' : formatBytes(step.upToBytes),
        fixed(step.nsPerLoad),
        reported ? formatBytes(reported.bytes) : '-',
      ];
    }),
  );
  return ladder;
}

async function startUp(): Promise<StartUp[]> {
  const results = await measureStartUp(quick ? 3 : 7);
  table(
    'Start-up, nothing changed since the last build: launch to the first frame ' +
      '(process table on screen, as a headless xterm draws it), median of the runs; ' +
      'CPU of paratop and the helpers it waited for in its first 2 s',
    ['how', 'first frame ms', 'runs ms', 'CPU first 2 s'],
    results.map((result) => [
      result.how,
      fixed(result.firstFrameMs, 0),
      result.runs.map((ms) => ms.toFixed(0)).join(' '),
      result.firstSecondsCpu === null ? '-' : `${fixed(result.firstSecondsCpu)} s`,
    ]),
  );
  const viaNpm = results.find((result) => result.how === 'npm start');
  if (viaNpm)
    check(
      'npm start to the first frame (nothing changed)',
      '< 1000 ms',
      `${fixed(viaNpm.firstFrameMs, 0)} ms`,
      viaNpm.firstFrameMs < 1000,
    );
  const direct = results.find((result) => result.how === 'node bin/paratop');
  if (direct?.firstSecondsCpu !== null && direct?.firstSecondsCpu !== undefined) {
    check(
      "paratop's CPU in its first 2 s, helpers included",
      '<= 0.5 s',
      `${fixed(direct.firstSecondsCpu)} s`,
      direct.firstSecondsCpu <= 0.5,
    );
  }
  return results;
}

async function hostsCost(): Promise<HostsCost[]> {
  const results = await measureHostsCost(quick);
  table(
    'Other hosts: the CPU of paratop polling them every 2 s (this process, /proc/self/stat), ' +
      'the hosts served on loopback by a separate process; Prometheus: 4 queries a refresh ' +
      'answering for every host; scrape: one 64-core node_exporter body per host',
    ['how', 'hosts', 'cores each', 'rounds', 'CPU %', 'CPU ms / refresh', 'CPU ms / host', 'refresh ms', 'up', 'cores'],
    results.map((result) => [
      result.how,
      result.hosts,
      result.cores,
      result.rounds,
      fixed(result.cpuPercent),
      fixed(result.cpuMsPerRound, 1),
      fixed(result.cpuMsPerHost, 3),
      fixed(result.roundMsMedian, 1),
      result.hostsUp,
      result.coresSeen,
    ]),
  );
  const prometheus = results.find((result) => result.how === 'prometheus' && result.hosts === 200);
  if (prometheus)
    check(
      `--prometheus, ${prometheus.hosts} hosts of ${prometheus.cores} cores at a 2 s refresh`,
      '<= 3% of a core',
      `${fixed(prometheus.cpuPercent)}% (${prometheus.coresSeen} cores read)`,
      prometheus.cpuPercent <= 3 && prometheus.coresSeen === prometheus.hosts * prometheus.cores,
    );
  return results;
}

/** The machine the scrape target speaks of: about 470 processes. */
const SCRAPE_TARGET_PROCESSES = 470;

async function serve(): Promise<{ scrapes: ScrapeSpeed[]; real: ServeIdle[] }> {
  const scrapes = await measureScrapeSpeed(quick, SCRAPE_TARGET_PROCESSES);
  table(
    'Serve: one scrape of /metrics in-process (ms): stale = it samples first (serve, but for scrapes ' +
      'within 50 ms of another), fresh = it takes the latest readings (the dashboard with --export)',
    ['processes', 'exported', 'format', 'stale median', 'stale p95', 'fresh median', 'body KiB', 'scrapes'],
    scrapes.map((result) => [
      result.processes,
      result.exported,
      result.format,
      fixed(result.staleMedianMs),
      fixed(result.staleP95Ms),
      fixed(result.freshMedianMs),
      fixed(result.bodyBytes / 1024, 0),
      result.scrapes,
    ]),
  );
  const big = scrapes.find(
    (result) =>
      result.processes >= SCRAPE_TARGET_PROCESSES - 20 && result.exported < 1000 && result.format === 'prometheus',
  );
  if (big)
    check(
      `scrape of ${big.processes} processes (samples first, top ${big.exported} exported)`,
      '<= 10 ms',
      `median ${fixed(big.staleMedianMs)} ms, p95 ${fixed(big.staleP95Ms)} ms`,
      big.staleMedianMs <= 10,
    );
  const windowSeconds = quick ? 10 : 30;
  const real = [await measureServeIdle(windowSeconds), await measureServeIdle(windowSeconds, SCRAPE_TARGET_PROCESSES)];
  table(
    `Serve: the real paratop serve (lean mode), CPU as % of one core over ${windowSeconds} s with nobody ` +
      'scraping and scraped every second, and the HTTP round trip of those scrapes (ms, each reads afresh)',
    ['processes', 'CPU idle', 'CPU scraped 1/s', 'GET median', 'GET p95'],
    real.map((run) => [
      run.processes,
      fixed(run.idlePercent),
      fixed(run.scrapedEverySecondPercent),
      fixed(run.httpMedianMs),
      fixed(run.httpP95Ms),
    ]),
  );
  const busy = real.at(-1);
  if (busy && busy.processes >= SCRAPE_TARGET_PROCESSES - 20)
    check(
      `GET /metrics of the real serve at ${busy.processes} processes (reads afresh)`,
      '<= 10 ms',
      `median ${fixed(busy.httpMedianMs)} ms, p95 ${fixed(busy.httpP95Ms)} ms`,
      busy.httpMedianMs <= 10,
    );
  const idle = Math.max(...real.map((run) => run.idlePercent));
  check('paratop serve with nobody scraping', '< 0.1% of a core', `at most ${fixed(idle)}%`, idle < 0.1);
  return { scrapes, real };
}

async function fallbackCost(): Promise<FallbackCost> {
  const traceSeconds = quick ? 10 : 30;
  const result = await measureFallbackCost(warmup, window, traceSeconds, (line) => console.log(line));
  table(
    `Samplers: the dashboard on /proc and on the fallback (PARATOP_SAMPLER=fallback, as macOS runs it), ` +
      `1 s refresh, process list every 2 s, ${window} s after ${warmup} s warm-up in a 120x40 pseudo-terminal ` +
      '(CPU = % of one core, the process and its reaped children: ps counted)',
    ['sampler', 'processes', 'CPU %', 'RSS mean MB', 'RSS peak MB', 'machine forks'],
    result.runs.map((run) => [
      run.tool,
      run.processes,
      fixed(run.cpuPercent, 3),
      fixed(run.rssMeanMb, 1),
      fixed(run.rssPeakMb, 1),
      run.machineForks,
    ]),
  );
  if (result.traces.length > 0) {
    table(
      `Started by each, under strace -f (${traceSeconds} s after ${warmup} s warm-up; separate runs)`,
      ['sampler', 'processes created', 'execve calls', 'programs run'],
      result.traces.map((trace) => [
        trace.tool,
        trace.processes,
        trace.execs,
        Object.entries(trace.programs)
          .sort(([, a], [, b]) => b - a)
          .map(([program, count]) => `${program} ${count}`)
          .join(', ') || '-',
      ]),
    );
  } else if (result.traceSkipped) {
    console.log(`\n(no strace check: ${result.traceSkipped})`);
  }
  const fallback = result.runs.find((run) => run.tool.includes('fallback'));
  if (fallback)
    check(
      `fallback sampler's CPU at ${fallback.processes} processes`,
      '<= 2% of a core',
      `${fixed(fallback.cpuPercent, 3)}%`,
      fallback.cpuPercent <= 2,
    );
  const traced = result.traces.find((trace) => trace.tool.includes('fallback'));
  if (traced)
    check(
      `processes the fallback started in ${traced.windowSeconds} s (strace -f)`,
      `<= ${result.childBudget} (one per process scan, one per refresh)`,
      `${traced.processes}`,
      traced.processes <= result.childBudget,
    );
  return result;
}

async function recordCost(): Promise<RecordCost> {
  const result = await measureRecordCost(warmup, window);
  table(
    `--record: the dashboard at 1 s, ${window} s after ${warmup} s warm-up, each twice (alternated)`,
    ['tool', 'processes', 'CPU % of a core', 'RSS MB', 'file KB/s'],
    result.runs.map((run) => [
      run.tool,
      run.processes,
      fixed(run.cpuPercent, 3),
      fixed(run.rssMeanMb, 1),
      run.bytesPerSecond === null ? '-' : fixed(run.bytesPerSecond / 1024, 1),
    ]),
  );
  table(
    'Writing a recording, in process: one sample line (every process), one flush of it',
    ['format', 'processes', 'line ms', 'line KB', 'flush ms', 'flush max ms', 'file KB/line'],
    result.writes.map((write) => [
      write.format,
      write.processes,
      fixed(write.lineMs, 3),
      fixed(write.lineBytes / 1024, 1),
      fixed(write.flushMs, 3),
      fixed(write.flushMaxMs, 3),
      fixed(write.fileBytesPerLine / 1024, 1),
    ]),
  );
  const mean = (name: string): number => {
    const runs = result.runs.filter((run) => run.tool === name);
    return runs.reduce((sum, run) => sum + run.cpuPercent, 0) / Math.max(1, runs.length);
  };
  const plain = mean('paratop');
  const gz = mean('paratop --record rec.ndjson.gz');
  check('CPU --record .gz adds to the dashboard', '<= 0.5% of a core', `${fixed(gz - plain, 3)}%`, gz - plain <= 0.5);
  const longest = Math.max(...result.writes.map((write) => write.flushMaxMs + write.lineMs));
  check('event loop held by one line and its flush', '<= 10 ms', `${fixed(longest, 2)} ms`, longest <= 10);
  return result;
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cores, node: process.version, processes: processCount(), loadAverage: loadavg() },
  quick,
  sections: only
    ? [...only]
    : ['sampler', 'accuracy', 'wait', 'keys', 'start', 'lab', 'memory', 'self', 'hosts', 'serve', 'fallback', 'record'],
};
if (wanted('sampler')) report.sampler = await samplerSpeed();
if (wanted('accuracy')) report.accuracy = await accuracy();
if (wanted('wait')) report.waitCheck = await waitCheck();
if (wanted('keys')) report.keyLatency = await keyLatency();
if (wanted('start')) report.startUp = await startUp();
if (wanted('lab')) report.lab = await lab();
if (wanted('memory')) report.memoryLadder = await memoryLadder();
if (wanted('self')) report.selfCost = await selfCost();
if (wanted('hosts')) report.hostsCost = await hostsCost();
if (wanted('serve')) report.serve = await serve();
if (wanted('fallback')) report.fallbackCost = await fallbackCost();
if (wanted('record')) report.recordCost = await recordCost();
report.targets = targets;

table(
  'Targets',
  ['what', 'target', 'measured', ''],
  targets.map((target) => [target.what, target.target, target.measured, target.met ? 'met' : 'MISSED']),
);
report.tables = printed;
report.loadAverageAfter = loadavg();
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(
  RESULTS_DIR,
  `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}${only ? `-${[...only].join('-')}` : ''}.json`,
);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nSaved to ${file}`);
