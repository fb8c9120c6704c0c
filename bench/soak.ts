import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { SCENARIOS } from '../src/lab/scenarios.js';
import type { DiagnosticsRecord } from '../src/app/diagnostics.js';
import { BIN, RESULTS_DIR } from './paths.js';
import { processCount, rssMegabytes, sleep, startInPty } from './pty-process.js';
import { processesTagged } from '../test/helpers/started.js';

/**
 * npm run soak [-- --minutes 60]
 * paratop redrawing every 0.5 s while its lab cycles through every experiment, your own command
 * (r) and its output pane (o), for an hour by default. Logs RSS, open files and event-loop delay
 * over time (from paratop's own diagnostics and from /proc), and fails when an experiment hangs,
 * when RSS grows by 5 MB or more (the trend of its floor, not single readings), when the open
 * files do not stay flat, or when any process paratop started outlives it.
 */
const args = process.argv.slice(2);
const minutesArg = args[args.indexOf('--minutes') + 1];
const minutes = args.includes('--minutes') && minutesArg ? Number(minutesArg) : 60;
if (!(minutes > 0)) {
  console.error(`--minutes must be a number greater than 0; got "${minutesArg}".`);
  process.exit(2);
}
/** Open-ended experiments run this long before x stops them. */
const OPEN_ENDED_SECONDS = 15;
/**
 * Your own command, typed at the r prompt: a child process (the loop, in the background) that prints a line every 0.2
 * s.
 */
const OWN_COMMAND = `--shell for i in 1 2 3 4 5 6 7 8 9 10; do echo "soak line $i"; sleep 0.2; done & wait`;

/** Every process paratop starts inherits this from its environment, wherever it is re-parented. */
const TAG = `PARATOP_SOAK_TAG=${randomUUID()}`;
const scratch = mkdtempSync(join(tmpdir(), 'paratop-soak-'));
const diagnosticsFile = join(scratch, 'diagnostics.ndjson');
const [tagName = '', tagValue = ''] = TAG.split('=');
const terminal = startInPty(
  process.execPath,
  [BIN, '--interval', '0.5'],
  { PARATOP_DIAGNOSTICS: diagnosticsFile, XDG_DATA_HOME: scratch, [tagName]: tagValue },
  120,
  40,
);
const screen = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
terminal.onData((data) => screen.write(data));
let exited = false;
/** Set when the soak itself quits paratop: an exit before that is a crash. */
let quitting = false;
let exitedEarly: { atSeconds: number; screen: string } | null = null;
const exitedNow = new Promise<void>((resolve) =>
  terminal.onExit(() => {
    exited = true;
    if (!quitting)
      exitedEarly = { atSeconds: Math.round((performance.now() - startedAt) / 1000), screen: screenText() };
    resolve();
  }),
);
const screenText = (): string => {
  const buffer = screen.buffer.active;
  return Array.from(
    { length: 40 },
    (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '',
  ).join('\n');
};
const waitFor = async (check: (text: string) => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    if (check(screenText())) return true;
    await sleep(200);
  }
  return check(screenText());
};

/** Processes paratop started, alive now (zombies are gone), as "pid:start time" so a reused PID counts anew. */
function startedByParatop(): Map<string, string> {
  const found = processesTagged(tagValue, [terminal.pid], tagName);
  return new Map(found.map((process) => [`${process.pid}:${process.startTicks}`, process.command.slice(0, 120)]));
}

interface Outside {
  t: number;
  rssMb: number | null;
  fds: number | null;
  /** Of those, files under /proc/<pid>/: paratop keeps three open per process on the machine. */
  fdsOnProc: number | null;
  /** Processes on the whole machine, which that count follows. */
  machineProcesses: number;
  /** Processes paratop has started that are alive now. */
  started: number;
}
const outside: Outside[] = [];
/** Every process paratop started that was seen alive (looked for every 2 s), to check after it exits. */
const seen = new Map<string, string>();
const startedAt = performance.now();
const sampleOutside = (): void => {
  let fds: number | null = null;
  let fdsOnProc: number | null = null;
  try {
    const links = readdirSync(`/proc/${terminal.pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${terminal.pid}/fd/${fd}`);
      } catch {
        return ''; // closed meanwhile
      }
    });
    fds = links.length;
    fdsOnProc = links.filter((target) => /^\/proc\/\d+\//.test(target)).length;
  } catch {
    // gone
  }
  const now = startedByParatop();
  for (const [key, command] of now) seen.set(key, command);
  outside.push({
    t: (performance.now() - startedAt) / 1000,
    rssMb: rssMegabytes(terminal.pid),
    fds,
    fdsOnProc,
    machineProcesses: processCount(),
    started: now.size,
  });
};
const outsideTimer = setInterval(sampleOutside, 10_000);
const seenTimer = setInterval(() => {
  for (const [key, command] of startedByParatop()) seen.set(key, command);
}, 2000);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Finished runs by name, and the runs that did not finish in time. */
const finished = new Map<string, number>();
const hung: { what: string; atSeconds: number; screen: string }[] = [];
const at = (): number => Math.round((performance.now() - startedAt) / 1000);
/** Count a run that ended in time; one that did not is a hang: noted, and stopped so the cycle goes on. */
async function tally(what: string, ok: boolean): Promise<void> {
  if (ok) {
    finished.set(what, (finished.get(what) ?? 0) + 1);
    return;
  }
  // What the screen showed, lines without trailing blanks: how a hang looked is the first clue.
  hung.push({
    what,
    atSeconds: at(),
    screen: screenText()
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean)
      .join('\n'),
  });
  terminal.write('\x1b');
  // An x right behind Esc in the same read would be Alt-x.
  await sleep(300);
  terminal.write('x');
  await waitFor((text) => !text.includes('x stop'), 15_000);
}

/** Your own command: r, the line, its end; then o, its output to the last line; Esc. */
async function ownCommand(): Promise<void> {
  terminal.write('r');
  if (!(await waitFor((text) => text.includes('Run: '), 10_000))) return tally('r prompt', false);
  // The prompt offers the last command line again: Ctrl-U clears it before typing.
  terminal.write(`\x15${OWN_COMMAND}\r`);
  await tally('own command (r)', await waitFor((text) => /Last run, for i in/.test(text), 60_000));
  terminal.write('o');
  await tally(
    'output pane (o)',
    await waitFor((text) => /Output of for i in/.test(text) && text.includes('soak line 10'), 10_000),
  );
  terminal.write('\x1b');
  await waitFor((text) => text.includes('PID USER'), 10_000);
}

/** When each cycle through the lab began (seconds), and the end of the last one if it was completed. */
const cycleStarts: number[] = [];
let finishedCycle = false;
let page = 1;
const pages = Math.max(...SCENARIOS.map((scenario) => scenario.page));
let pythonMissing = false;
try {
  if (!(await waitFor((text) => text.includes('PID USER'), 15_000))) throw new Error('the dashboard did not come up');
  const endAt = startedAt + minutes * 60_000;
  while (performance.now() < endAt && !exited) {
    cycleStarts.push((performance.now() - startedAt) / 1000);
    await ownCommand();
    let cut = false;
    for (const scenario of SCENARIOS) {
      if (performance.now() >= endAt || exited) {
        cut = true;
        break;
      }
      while (scenario.page !== page) {
        terminal.write('\t');
        page = (page % pages) + 1;
        await waitFor((text) => text.includes(`LAB ${page}/${pages}`), 5000);
      }
      if (scenario.runtime === 'python') {
        // Said in the page's title bar once paratop has looked for python3.
        await waitFor((text) => /LAB \d\/\d \(Tab\) · (Python|python3 unavailable)/.test(text), 10_000);
        pythonMissing ||= screenText().includes('python3 unavailable');
        if (pythonMissing) continue;
      }
      terminal.write(scenario.key);
      const ended = new RegExp(`Last run, ${escapeRegExp(scenario.title)}`);
      if (scenario.finite) {
        await tally(scenario.id, await waitFor((text) => ended.test(text), 120_000));
      } else {
        // Open-ended: running (its x stop shows), then stopped with x.
        const running = await waitFor(
          (text) => text.includes(`LAB  ${scenario.title}`) && text.includes('x stop'),
          20_000,
        );
        await sleep(OPEN_ENDED_SECONDS * 1000);
        terminal.write('x');
        await tally(scenario.id, running && (await waitFor((text) => ended.test(text), 15_000)));
      }
      await sleep(1000);
    }
    finishedCycle = !cut;
  }
  // The end of the last cycle, if it was run to the end.
  if (!exited && finishedCycle) cycleStarts.push((performance.now() - startedAt) / 1000);
} finally {
  clearInterval(outsideTimer);
  clearInterval(seenTimer);
  sampleOutside();
  quitting = true;
  terminal.write('x');
  await sleep(2000);
  terminal.write('q');
  await Promise.race([exitedNow, sleep(10_000)]);
  if (!exited) terminal.kill('SIGKILL');
}

// After paratop has gone: nothing it started may still run (its workloads end themselves within a
// quarter of a second of its death; allow 5 s). The tag finds them wherever they were re-parented.
let leftAfterExit = startedByParatop();
for (let waited = 0; leftAfterExit.size > 0 && waited < 5000; waited += 250) {
  await sleep(250);
  leftAfterExit = startedByParatop();
}

const inside = readFileSync(diagnosticsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as DiagnosticsRecord);
rmSync(scratch, { recursive: true, force: true });

/**
 * Memory rises and falls with what the lab runs; a leak shows in the floor. Each cycle through the
 * lab runs the same things, so the lowest reading of each complete cycle (the first, the warm-up,
 * left out) is comparable with the next; the least-squares slope of those floors is the trend, in
 * MB per hour. A run too short for three such cycles is cut into windows of time instead, which
 * is reported but not judged (they hold different experiments, so their floors differ anyway);
 * so are the open files.
 */
const MB = 1024 * 1024;
const cycles = cycleStarts
  .slice(1)
  .map((start, index) => ({ from: start, to: cycleStarts[index + 2] }))
  .filter((cycle): cycle is { from: number; to: number } => cycle.to !== undefined);
const byCycle = cycles.length >= 3;
const warmUpSeconds = byCycle ? (cycles[0]?.from ?? 0) : Math.min(120, (minutes * 60) / 5);
const windowSeconds = Math.max(30, (minutes * 60) / 12);
const spans = byCycle
  ? cycles
  : Array.from({ length: Math.ceil((minutes * 60 - warmUpSeconds) / windowSeconds) }, (_, index) => ({
      from: warmUpSeconds + index * windowSeconds,
      to: warmUpSeconds + (index + 1) * windowSeconds,
    }));
function floors<Reading extends { t: number }>(
  records: Reading[],
  value: (record: Reading) => number,
  unit = MB,
): { t: number; mb: number }[] {
  return spans
    .map((span) => ({ span, records: records.filter((record) => record.t >= span.from && record.t < span.to) }))
    .filter(({ records }) => records.length > 0)
    .map(({ span, records }) => ({ t: (span.from + span.to) / 2, mb: Math.min(...records.map(value)) / unit }));
}
function slopePerHour(points: { t: number; mb: number }[]): number | null {
  if (points.length < 2) return null;
  const meanT = points.reduce((sum, point) => sum + point.t, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.mb, 0) / points.length;
  const covariance = points.reduce((sum, point) => sum + (point.t - meanT) * (point.mb - meanY), 0);
  const variance = points.reduce((sum, point) => sum + (point.t - meanT) ** 2, 0);
  return variance > 0 ? (covariance / variance) * 3600 : null;
}
const rssFloors = floors(inside, (record) => record.rss);
const heapFloors = floors(inside, (record) => record.heapUsed);
// Where RSS growth sits: V8's reserved heap, or memory outside it (Buffers, native objects).
const heapTotalFloors = floors(inside, (record) => record.heapTotal);
const externalFloors = floors(inside, (record) => record.external);
const rssSlope = slopePerHour(rssFloors);
const heapSlope = slopePerHour(heapFloors);
const measuredSeconds = (rssFloors.at(-1)?.t ?? 0) - (rssFloors[0]?.t ?? 0);
/** Growth over the measured part of the run, by the trend of the floor. */
const rssTrendGrowthMb = rssSlope === null ? null : (rssSlope * measuredSeconds) / 3600;
const rssFloorGrowthMb = rssFloors.length >= 2 ? (rssFloors.at(-1)?.mb ?? 0) - (rssFloors[0]?.mb ?? 0) : null;
const heapFloorGrowthMb = heapFloors.length >= 2 ? (heapFloors.at(-1)?.mb ?? 0) - (heapFloors[0]?.mb ?? 0) : null;
// Open files rise and fall with what runs (each workload has pipes): a leak shows in the floor too.
// paratop keeps three /proc files open per process on the machine, so those follow the machine's
// process count (a kernel worker more is three more); they are counted apart and left out.
const fdFloors = floors(outside, (record) => (record.fds ?? 0) - (record.fdsOnProc ?? 0), 1);
const procFdFloors = floors(outside, (record) => record.fdsOnProc ?? 0, 1);
const machineProcessFloors = floors(outside, (record) => record.machineProcesses, 1);
const fdsStart = fdFloors[0]?.mb ?? null;
const fdsEnd = fdFloors.at(-1)?.mb ?? null;
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const round = (value: number | null, digits = 2): number | null =>
  value === null ? null : Number(value.toFixed(digits));

const summary = {
  minutes,
  cyclesCompleted: Math.max(0, cycleStarts.length - 1),
  memoryTrendBy: byCycle
    ? 'the floor of each lab cycle after the first'
    : `the floor of ${windowSeconds} s windows (too short for 3 cycles after the first: not judged)`,
  experimentsFinished: [...finished.values()].reduce((sum, count) => sum + count, 0),
  finishedByName: Object.fromEntries(finished),
  hung,
  exitedEarly,
  pythonSkipped: pythonMissing,
  records: inside.length,
  warmUpSeconds: round(warmUpSeconds, 0),
  rssFloorsMb: rssFloors.map((point) => round(point.mb, 1)),
  rssFloorSlopeMbPerHour: round(rssSlope),
  rssTrendGrowthMb: round(rssTrendGrowthMb),
  rssFloorGrowthMb: round(rssFloorGrowthMb),
  rssPeakMb: round(Math.max(...inside.map((record) => record.rss)) / MB, 1),
  heapFloorsMb: heapFloors.map((point) => round(point.mb, 1)),
  heapFloorSlopeMbPerHour: round(heapSlope),
  heapFloorGrowthMb: round(heapFloorGrowthMb),
  heapTotalFloorsMb: heapTotalFloors.map((point) => round(point.mb, 1)),
  externalFloorsMb: externalFloors.map((point) => round(point.mb, 1)),
  /** Open files other than /proc ones, lowest of the first and the last cycle. */
  fdsStart,
  fdsEnd,
  procFdFloors: procFdFloors.map((point) => point.mb),
  machineProcessFloors: machineProcessFloors.map((point) => point.mb),
  lagMeanMs: round(mean(inside.map((record) => record.lagMeanMs))),
  lagP99MaxMs: round(Math.max(...inside.map((record) => record.lagP99Ms))),
  lagMaxMs: round(Math.max(...inside.map((record) => record.lagMaxMs)), 1),
  /** When V8 left its lean mode (its own CPU passed the threshold, 2% of a core); null if it never did. */
  v8LeanUntilSeconds: inside.find((record) => !record.v8Lean)?.t ?? null,
  processesStarted: seen.size,
  leftAfterExit: [...leftAfterExit].map(([key, command]) => `${key} ${command}`),
  targets: {
    ranToTheEnd: exitedEarly === null,
    noHangs: hung.length === 0,
    /** null: the run was too short to judge. */
    rssGrowthUnder5Mb: byCycle ? (rssTrendGrowthMb ?? 0) < 5 && (rssFloorGrowthMb ?? 0) < 5 : null,
    fdsFlat: byCycle ? fdsStart !== null && fdsEnd !== null && fdsEnd <= fdsStart + 2 : null,
    nothingLeft: leftAfterExit.size === 0,
  },
};
console.log('\nminute  RSS MB  heap MB  heap reserved MB  external MB  fds  lag mean ms  lag p99 ms  lag max ms');
for (const record of inside.filter((_, index) => index % Math.max(1, Math.round(minutes / 10)) === 0)) {
  console.log(
    `${(record.t / 60).toFixed(1).padStart(6)}  ` +
      `${(record.rss / MB).toFixed(1).padStart(6)}  ` +
      `${(record.heapUsed / MB).toFixed(1).padStart(7)}  ` +
      `${(record.heapTotal / MB).toFixed(1).padStart(16)}  ` +
      `${(record.external / MB).toFixed(1).padStart(11)}  ` +
      `${String(record.fds).padStart(3)}  ` +
      `${record.lagMeanMs.toFixed(2).padStart(11)}  ` +
      `${record.lagP99Ms.toFixed(2).padStart(10)}  ${record.lagMaxMs.toFixed(1).padStart(10)}`,
  );
}
console.log(`\n${JSON.stringify(summary, null, 2)}`);
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `soak-${new Date().toISOString().slice(0, 10)}-${minutes}min.json`);
writeFileSync(file, `${JSON.stringify({ summary, inside, outside, seen: Object.fromEntries(seen) }, null, 2)}\n`);
console.log(`Saved to ${file}`);
if (!byCycle)
  console.log(
    `RSS growth and open files not judged: ${summary.cyclesCompleted} lab ` +
      `cycle(s) completed; 4 are needed (about 15 minutes).`,
  );
process.exitCode = Object.values(summary.targets).every((target) => target !== false) ? 0 : 1;
