import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/proc-t0/', import.meta.url));

export interface ProcTree {
  root: string;
  /**
   * Make `fraction` of the processes (a fresh pick each time) run since the last scan: their utime
   * grows by a few ticks and their schedstat run count by a few runs. On a static tree every process
   * looks idle after the first scan, and the sampler skips the status file of one that has not run;
   * a real /proc always has some busy processes. Call it between scans, outside the timed region.
   * Returns how many.
   */
  makeBusy(fraction: number): number;
  /**
   * Move /proc/uptime on by `seconds`, as between two real scans. Without it no time passes between
   * scans, so no CPU% can be worked out, and an idle process never reads as idle (0%). Call it
   * outside the timed region.
   */
  advanceClock(seconds: number): void;
  remove(): void;
}

/** A small deterministic generator (mulberry32), so every run picks the same processes. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stat line with utime (field 14) grown by `ticks`. */
export function addUtime(stat: string, ticks: number): string {
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  fields[11] = String(Number(fields[11]) + ticks);
  return `${stat.slice(0, close + 2)}${fields.join(' ')}`;
}

function schedstat(runCount: number): string {
  return `${runCount * 250_000} ${runCount * 40_000} ${runCount}\n`;
}

/**
 * A fake /proc with `count` processes, built from the captured fixture: each copy of a real
 * process gets its own PID (in its stat file and its folder), so the sampler does all its usual work.
 */
export function generateProcTree(count: number): ProcTree {
  const root = mkdtempSync(join(tmpdir(), `paratop-proc-${count}-`));
  for (const file of ['stat', 'meminfo', 'loadavg', 'uptime']) cpSync(join(FIXTURE, file), join(root, file));
  const templates = readdirSync(FIXTURE).filter((name) => /^\d+$/.test(name));
  const stats: string[] = [];
  const runs: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length] ?? '1';
    const pid = 10_000 + index;
    const dir = join(root, String(pid));
    mkdirSync(dir);
    const stat = readFileSync(join(FIXTURE, template, 'stat'), 'utf8');
    stats.push(`${pid}${stat.slice(stat.indexOf(' '))}`);
    writeFileSync(join(dir, 'stat'), stats[index] ?? '');
    cpSync(join(FIXTURE, template, 'status'), join(dir, 'status'));
    // As the kernel has it: ns on a CPU, ns waiting, times run.
    runs.push(100 + index);
    writeFileSync(join(dir, 'schedstat'), schedstat(runs[index] ?? 0));
    cpSync(join(FIXTURE, template, 'cmdline'), join(dir, 'cmdline'));
  }
  const next = random(count);
  let uptime = Number.parseFloat(readFileSync(join(FIXTURE, 'uptime'), 'utf8'));
  return {
    root,
    makeBusy(fraction) {
      const busy = Math.round(fraction * count);
      const picked = new Set<number>();
      while (picked.size < busy) picked.add(Math.floor(next() * count));
      for (const index of picked) {
        const stat = addUtime(stats[index] ?? '', 1 + Math.floor(next() * 50));
        stats[index] = stat;
        // Written in place (same inode), so a file the sampler keeps open sees the new text.
        writeFileSync(join(root, String(10_000 + index), 'stat'), stat);
        runs[index] = (runs[index] ?? 0) + 1 + Math.floor(next() * 20);
        writeFileSync(join(root, String(10_000 + index), 'schedstat'), schedstat(runs[index] ?? 0));
      }
      return busy;
    },
    advanceClock(seconds) {
      uptime += seconds;
      writeFileSync(join(root, 'uptime'), `${uptime.toFixed(2)} ${(uptime * 1.5).toFixed(2)}\n`);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
