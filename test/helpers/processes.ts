import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Child processes a test starts; `stopAll` ends whatever is still running. */
export class TestProcesses {
  private readonly children: ChildProcess[] = [];

  /** A node process running `script`, with `marker` in its command line so a filter can find it. */
  node(script: string, marker: string, args: string[] = []): ChildProcess {
    const child = spawn(process.execPath, ['-e', script, marker, ...args], { stdio: 'ignore' });
    this.children.push(child);
    return child;
  }

  /** Spins one core at 100% until killed. */
  busy(marker: string): ChildProcess {
    return this.node('for (;;) {}', marker);
  }

  /** Sleeps until killed. */
  idle(marker: string, args: string[] = []): ChildProcess {
    return this.node('setInterval(() => {}, 1 << 30)', marker, args);
  }

  stopAll(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Whether a PID names a live (not zombie) process, read from /proc. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitForExit(child: ChildProcess, timeoutMs = 5000): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.signalCode ?? child.exitCode;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PID ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}
