import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { BIN } from './pty-session.js';

/**
 * What a paratop started, found without guessing: the test puts a tag in paratop's environment,
 * and every process paratop starts inherits it (workloads, Python, the command keeper and the
 * command, helpers), however it was started and wherever it was re-parented. Other tests' paratops
 * carry other tags, so tests running side by side do not see each other's processes.
 */
export const TAG_NAME = 'PARATOP_TEST_TAG';

export function newTag(): string {
  return randomUUID();
}

export interface Tagged {
  pid: number;
  /** Start time, clock ticks after boot: with the PID, names one process even if the PID is reused. */
  startTicks: number;
  /** Its command line, words joined by spaces. */
  command: string;
}

/** Live processes (zombies are gone) whose environment holds the tag, but for `except`. */
export function processesTagged(tag: string, except: readonly number[] = [], tagName = TAG_NAME): Tagged[] {
  const needle = `${tagName}=${tag}\0`;
  const found: Tagged[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || except.includes(Number(name))) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the name: state (field 3), ..., starttime (field 22).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({
        pid: Number(name),
        startTicks: Number(fields[19]),
        command: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

/**
 * Wait until no process holds the tag; what still does on timeout. `except` may be a function, asked
 * at every look, for processes that come and go by design (a test shell's own commands).
 */
export async function untilNoneTagged(
  tag: string,
  timeoutMs = 5000,
  except: readonly number[] | (() => readonly number[]) = [],
): Promise<Tagged[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = processesTagged(tag, typeof except === 'function' ? except() : except);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A process seen by runWatched, with every command line it had while watched. */
export interface Watched extends Omit<Tagged, 'command'> {
  /**
   * Each distinct command line, in the order seen: a child caught between fork and exec still shows
   * its parent's (`node bin/paratop lab run ...`), and shows its own only at a later look.
   */
  commands: string[];
}

export interface WatchedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every process paratop started, seen while it ran (looked for every few milliseconds) or after it exited. */
  started: Watched[];
}

/**
 * Run the real bin without a terminal and watch what it starts. A node workload lives for a
 * tenth of a second at least (node's own start-up), far longer than the pause between looks.
 */
export async function runWatched(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
): Promise<WatchedRun> {
  const tag = newTag();
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, [TAG_NAME]: tag },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let done = false;
  void closed.then(() => (done = true));
  // By PID and start time: a PID reused by a later process is another entry.
  const started = new Map<string, Watched>();
  const look = (): void => {
    for (const { pid, startTicks, command } of processesTagged(tag, [child.pid ?? 0])) {
      const key = `${pid}:${startTicks}`;
      const seen = started.get(key) ?? { pid, startTicks, commands: [] };
      if (!seen.commands.includes(command)) seen.commands.push(command);
      started.set(key, seen);
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!done && Date.now() < deadline) {
    look();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (!done) child.kill('SIGKILL');
  const status = await closed;
  // Anything that outlived paratop (re-parented, so no longer under it) still carries the tag.
  look();
  return { status, stdout, stderr, started: [...started.values()] };
}
