import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { SCENARIOS } from '../scenarios/definitions.js';
import type { DiagnosticsRecord } from '../src/app/diagnostics.js';
import { BIN, RESULTS_DIR } from './paths.js';
import { childrenNow, rssMegabytes, sleep, startInPty } from './pty-process.js';

/**
 * npm run soak [-- --minutes 60]
 * paratop redrawing every 0.5 s while its lab cycles through every experiment, for an hour by
 * default. Logs RSS, open files and event-loop delay over time (from paratop's own diagnostics and
 * from /proc), then checks RSS grew less than 5 MB and the open files stayed flat.
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

const scratch = mkdtempSync(join(tmpdir(), 'paratop-soak-'));
const diagnosticsFile = join(scratch, 'diagnostics.ndjson');
const terminal = startInPty(process.execPath, [BIN, '--interval', '0.5'], { PARATOP_DIAGNOSTICS: diagnosticsFile, XDG_DATA_HOME: scratch }, 120, 40);
const screen = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
terminal.onData((data) => screen.write(data));
const screenText = (): string => {
  const buffer = screen.buffer.active;
  return Array.from({ length: 40 }, (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').join('\n');
};
const waitFor = async (check: (text: string) => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check(screenText())) return true;
    await sleep(200);
  }
  return false;
};

interface Outside {
  t: number;
  rssMb: number | null;
  fds: number | null;
  children: number;
}
const outside: Outside[] = [];
const startedAt = performance.now();
const sampleOutside = (): void => {
  let fds: number | null = null;
  try {
    fds = readdirSync(`/proc/${terminal.pid}/fd`).length;
  } catch {
    // gone
  }
  outside.push({ t: (performance.now() - startedAt) / 1000, rssMb: rssMegabytes(terminal.pid), fds, children: childrenNow(terminal.pid).length });
};
const outsideTimer = setInterval(sampleOutside, 10_000);

let experiments = 0;
let page = 1;
const pages = Math.max(...SCENARIOS.map((scenario) => scenario.page));
try {
  await waitFor((text) => text.includes('PID USER'), 15_000);
  const endAt = startedAt + minutes * 60_000;
  while (performance.now() < endAt) {
    for (const scenario of SCENARIOS) {
      if (performance.now() >= endAt) break;
      while (scenario.page !== page) {
        terminal.write('\t');
        page = (page % pages) + 1;
        await sleep(300);
      }
      terminal.write(scenario.key);
      experiments += 1;
      if (scenario.finite) {
        await waitFor((text) => text.includes(`Last run, ${scenario.title}`), 120_000);
      } else {
        await sleep(OPEN_ENDED_SECONDS * 1000);
        terminal.write('x');
        await waitFor((text) => text.includes(`Last run, ${scenario.title}`), 15_000);
      }
      await sleep(1000);
    }
  }
} finally {
  clearInterval(outsideTimer);
  sampleOutside();
  terminal.write('x');
  await sleep(2000);
  terminal.write('q');
  await Promise.race([new Promise((resolve) => terminal.onExit(resolve)), sleep(10_000)]);
}

const inside = readFileSync(diagnosticsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as DiagnosticsRecord);
rmSync(scratch, { recursive: true, force: true });

// Compare the first tenth of the run (after two minutes of warm-up) with the last tenth. RSS rises
// and falls with the lab's cycle; the means of a tenth each (several cycles in an hour) even that out.
const warm = inside.filter((record) => record.t >= Math.min(120, (minutes * 60) / 5));
const slice = Math.max(1, Math.floor(warm.length / 10));
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const early = warm.slice(0, slice);
const late = warm.slice(-slice);
const rssGrowthMb = (mean(late.map((record) => record.rss)) - mean(early.map((record) => record.rss))) / 1024 / 1024;
// Open files rise and fall with what runs (paratop keeps /proc files open for every process, and each
// workload has pipes): a leak shows in the floor, so compare the lowest counts of each window.
const fdsEarly = Math.min(...early.map((record) => record.fds ?? 0));
const fdsLate = Math.min(...late.map((record) => record.fds ?? 0));
const rssFloorGrowthMb = (Math.min(...late.map((record) => record.rss)) - Math.min(...early.map((record) => record.rss))) / 1024 / 1024;
const summary = {
  minutes,
  experiments,
  records: inside.length,
  rssStartMb: mean(early.map((record) => record.rss)) / 1024 / 1024,
  rssEndMb: mean(late.map((record) => record.rss)) / 1024 / 1024,
  rssPeakMb: Math.max(...inside.map((record) => record.rss)) / 1024 / 1024,
  rssGrowthMb,
  rssFloorGrowthMb,
  fdsStart: fdsEarly,
  fdsEnd: fdsLate,
  lagMeanMs: mean(inside.map((record) => record.lagMeanMs)),
  lagP99MaxMs: Math.max(...inside.map((record) => record.lagP99Ms)),
  lagMaxMs: Math.max(...inside.map((record) => record.lagMaxMs)),
  childrenLeftAtEnd: childrenNow(terminal.pid).length,
  targets: { rssGrowthUnder5Mb: rssGrowthMb < 5, fdsFlat: fdsLate <= fdsEarly + 2 },
};
console.log('\nminute  RSS MB  heap MB  fds  lag mean ms  lag p99 ms  lag max ms');
for (const record of inside.filter((_, index) => index % 6 === 0)) {
  console.log(
    `${(record.t / 60).toFixed(1).padStart(6)}  ${(record.rss / 1024 / 1024).toFixed(1).padStart(6)}  ${(record.heapUsed / 1024 / 1024).toFixed(1).padStart(7)}  ${String(record.fds).padStart(3)}  ${record.lagMeanMs.toFixed(2).padStart(11)}  ${record.lagP99Ms.toFixed(2).padStart(10)}  ${record.lagMaxMs.toFixed(1).padStart(10)}`,
  );
}
console.log(`\n${JSON.stringify(summary, null, 2)}`);
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `soak-${new Date().toISOString().slice(0, 10)}-${minutes}min.json`);
writeFileSync(file, `${JSON.stringify({ summary, inside, outside }, null, 2)}\n`);
console.log(`Saved to ${file}`);
process.exitCode = summary.targets.rssGrowthUnder5Mb && summary.targets.fdsFlat && summary.childrenLeftAtEnd === 0 ? 0 : 1;
