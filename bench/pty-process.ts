import { readFileSync, readdirSync } from 'node:fs';
import pty from 'node-pty';

/** A program running in a pseudo-terminal, measured from /proc like any other process. */
export function startInPty(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cols = 120,
  rows = 40,
): pty.IPty {
  const terminal = pty.spawn(command, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: process.cwd(),
    env: { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env } as Record<string, string>,
  });
  terminal.onData(() => undefined);
  return terminal;
}

/** Ask the tool in the terminal to quit (q), wait up to 3 s, then make sure with SIGKILL. */
export async function quitPty(terminal: pty.IPty): Promise<void> {
  terminal.write('q');
  await Promise.race([new Promise((resolve) => terminal.onExit(resolve)), sleep(3000)]);
  try {
    terminal.kill('SIGKILL');
  } catch {
    // gone
  }
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime of the process and of its children it has waited for, in seconds. */
export function cpuSecondsWithChildren(pid: number): number | null {
  const fields = statFields(pid);
  if (!fields) return null;
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

export function rssMegabytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Processes forked on the whole machine since boot (the "processes" line of /proc/stat). */
export function forksSinceBoot(): number {
  const match = /^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  return match ? Number(match[1]) : 0;
}

export function processCount(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
