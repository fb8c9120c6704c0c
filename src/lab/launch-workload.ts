import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToEngine, ToWorkload, WorkloadSpec } from '../../scenarios/workloads/protocol.js';
import { packageRoot } from '../package-root.js';

export type WorkloadProgram = 'thread-host' | 'process-worker' | 'python';

/** A workload process as the engine sees it. */
export interface LaunchedWorkload {
  readonly pid: number;
  /** Ask it something; false when it can no longer hear. */
  send(message: ToWorkload): void;
  /** Resolves when it has ended, with how. */
  readonly ended: Promise<{ code: number | undefined; signal: string | undefined; stderr: string }>;
  readonly alive: boolean;
  kill(signal: NodeJS.Signals): void;
}

/** The compiled workload programs and the command keeper (they run as plain node, in their own processes), or the Python one. */
export function workloadPath(program: WorkloadProgram | 'command-keeper'): string {
  const path =
    program === 'python'
      ? join(packageRoot(), 'scenarios', 'python', 'paratop_lab.py')
      : join(packageRoot(), 'dist', 'scenarios', 'workloads', `${program}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: paratop is not built (run npm install, or npm run build).`);
  return path;
}

/**
 * Start a workload program with an IPC channel. Its output never reaches the terminal (it would
 * break the dashboard); stderr is kept to explain a crash.
 */
export async function launchWorkload(
  program: WorkloadProgram,
  spec: WorkloadSpec,
  onMessage: (message: ToEngine) => void,
): Promise<LaunchedWorkload> {
  if (program === 'python') return launchPython(spec, onMessage);
  // Loaded on first use: a dashboard that never starts an experiment never pays for execa's memory.
  const { execa } = await import('execa');
  const subprocess = execa(process.execPath, [workloadPath(program), JSON.stringify(spec)], {
    ipc: true,
    serialization: 'json',
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    // Keep only stderr; IPC messages are consumed as they come, not stored.
    buffer: { stderr: true, ipc: false },
    reject: false,
    // execa also ends it when paratop exits normally; the workload itself watches for the rest.
    cleanup: true,
  });
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error(`could not start ${program}`);
  let alive = true;
  const ended = subprocess.then((result) => {
    alive = false;
    return { code: result.exitCode, signal: result.signal, stderr: String(result.stderr ?? '').slice(-2000) };
  });
  void (async () => {
    try {
      for await (const message of subprocess.getEachMessage()) onMessage(message as ToEngine);
    } catch {
      // the channel closed with the process; `ended` tells how
    }
  })();
  return {
    pid,
    ended,
    get alive() {
      return alive;
    },
    send(message) {
      if (!alive) return;
      subprocess.sendMessage(message).catch(() => undefined);
    },
    kill(signal) {
      if (!alive) return;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * A Python workload: the same messages, as JSON lines on its stdout; paratop's requests as JSON lines
 * on its stdin, whose end tells it paratop has gone. (Node's IPC channel is for Node children.)
 */
async function launchPython(spec: WorkloadSpec, onMessage: (message: ToEngine) => void): Promise<LaunchedWorkload> {
  const { execa } = await import('execa');
  const { python } = await import('./python-runtime.js');
  const found = await python();
  if (!found.available) throw new Error(found.reason);
  const subprocess = execa(found.path, ['-u', workloadPath('python'), JSON.stringify(spec)], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    reject: false,
    cleanup: true,
  });
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error('could not start python3');
  let alive = true;
  const ended = subprocess.then((result) => {
    alive = false;
    return { code: result.exitCode, signal: result.signal, stderr: String(result.stderr ?? '').slice(-2000) };
  });
  let pending = '';
  subprocess.stdout.setEncoding('utf8');
  subprocess.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        onMessage(JSON.parse(line) as ToEngine);
      } catch {
        // not one of our lines (a library printing): ignore it
      }
      newline = pending.indexOf('\n');
    }
  });
  subprocess.stdin.on('error', () => undefined);
  return {
    pid,
    ended,
    get alive() {
      return alive;
    },
    send(message) {
      if (alive) subprocess.stdin.write(`${JSON.stringify(message)}\n`);
    },
    kill(signal) {
      if (!alive) return;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
}
