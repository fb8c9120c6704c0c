import { readFileSync, readdirSync } from 'node:fs';
import xterm from '@xterm/headless';
import { BIN } from './paths.js';
import { cpuSecondsWithChildren, quitPty, sleep, startInPty } from './pty-process.js';

/** The first frame is up once the process table's header is on the screen. */
const FIRST_FRAME = /PID USER/;
const GIVE_UP_MS = 15_000;
/** paratop's CPU is read this long after it starts. */
const CPU_WINDOW_MS = 2000;

export interface StartUp {
  how: string;
  /** From starting the command to the process table on the screen, ms: the median of the runs, and each. */
  firstFrameMs: number;
  runs: number[];
  /** CPU of paratop and the helpers it waited for (machine facts, python3 --version) in its first 2 s, seconds. */
  firstSecondsCpu: number | null;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function parentOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The node process running bin/paratop at or under `root` (npm start runs it a few levels down). */
function paratopUnder(root: number): number | null {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const parent = /^\d+$/.test(name) ? parentOf(name) : null;
    if (parent !== null) parents.set(Number(name), parent);
  }
  const under = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at))
      if (at === root) return true;
    return false;
  };
  // node itself, not the shell npm runs it through ("sh -c node bin/paratop").
  const isParatop = (pid: number): boolean => /^(\S*\/)?node \S*bin\/paratop$/.test(commandLine(pid).trim());
  return [...parents.keys()].find((pid) => under(pid) && isParatop(pid)) ?? null;
}

async function once(command: string, args: string[]): Promise<{ ms: number; cpu: number | null }> {
  const screen = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
  const started = performance.now();
  const terminal = startInPty(command, args);
  let drawnAt: number | null = null;
  terminal.onData((data) =>
    screen.write(data, () => {
      if (drawnAt !== null) return;
      const buffer = screen.buffer.active;
      for (let row = 0; row < buffer.length; row += 1) {
        if (FIRST_FRAME.test(buffer.getLine(row)?.translateToString() ?? '')) drawnAt = performance.now();
      }
    }),
  );
  try {
    while (drawnAt === null && performance.now() - started < GIVE_UP_MS) await sleep(5);
    const left = CPU_WINDOW_MS - (performance.now() - started);
    if (left > 0) await sleep(left);
    const paratop = paratopUnder(terminal.pid);
    return {
      ms: drawnAt === null ? GIVE_UP_MS : drawnAt - started,
      cpu: paratop === null ? null : cpuSecondsWithChildren(paratop),
    };
  } finally {
    await quitPty(terminal);
    screen.dispose();
  }
}

/**
 * Start-up as a user meets it, with nothing changed since the last build: `npm start` (which first
 * checks the build) and `node bin/paratop`, each from launch to the first frame, and paratop's CPU
 * in its first two seconds, helpers included.
 */
export async function measureStartUp(runs: number): Promise<StartUp[]> {
  const ways: [string, string, string[]][] = [
    ['npm start', 'npm', ['start', '--silent']],
    ['node bin/paratop', process.execPath, [BIN]],
  ];
  const results: StartUp[] = [];
  for (const [how, command, args] of ways) {
    const measured: { ms: number; cpu: number | null }[] = [];
    for (let run = 0; run < runs; run += 1) {
      measured.push(await once(command, args));
      await sleep(500);
    }
    const times = measured.map((entry) => entry.ms).sort((a, b) => a - b);
    const cpus = measured.flatMap((entry) => (entry.cpu === null ? [] : [entry.cpu])).sort((a, b) => a - b);
    results.push({
      how,
      firstFrameMs: times[Math.floor(times.length / 2)] ?? GIVE_UP_MS,
      runs: measured.map((entry) => entry.ms),
      firstSecondsCpu: cpus.length > 0 ? (cpus[Math.floor(cpus.length / 2)] ?? null) : null,
    });
  }
  return results;
}
