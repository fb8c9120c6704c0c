import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToEngine, ToWorkload, WorkloadSpec } from './protocol.js';
import { packageRoot } from '../package-root.js';
import { signalQuietly } from './signal-quietly.js';

/** Enough of a crashed workload's stderr to show its error and stack. */
const STDERR_KEPT = 2000;

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

/**
 * The compiled workload programs and paratop's command keeper (they run as plain node, in their own
 * processes), or the Python one.
 */
export function workloadPath(program: WorkloadProgram | 'command-keeper' | 'python-grid' | 'python-gpu'): string {
  const python = { python: 'paratop_lab.py', 'python-grid': 'paratop_grid.py', 'python-gpu': 'paratop_gpu_cores.py' };
  const path =
    program === 'python' || program === 'python-grid' || program === 'python-gpu'
      ? join(packageRoot(), 'scenarios', 'python', python[program])
      : program === 'command-keeper'
        ? join(packageRoot(), 'dist', 'src', 'lab', 'command-keeper.js')
        : join(packageRoot(), 'dist', 'scenarios', 'workloads', `${program}.js`);
  if (!existsSync(path))
    throw new Error(`${path} is missing: paratop is not built (run npm install, or npm run build).`);
  return path;
}

/**
 * Start a workload program with an IPC channel. Its output never reaches the terminal (it would
 * break the dashboard); the end of stderr is kept to explain a crash.
 *
 * Plain child_process rather than execa: threads-vs-processes starts 50 of these at once, and execa's
 * per-child machinery (promises, stream wrappers, IPC helpers) took several times the heap for 50
 * children, which V8 then kept reserved for the rest of the session (figures: docs/performance.md).
 */
export async function launchWorkload(
  program: WorkloadProgram,
  spec: WorkloadSpec,
  onMessage: (message: ToEngine) => void,
): Promise<LaunchedWorkload> {
  if (program === 'python') return launchPython(spec, onMessage);
  const child = spawn(process.execPath, [workloadPath(program), JSON.stringify(spec)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const pid = child.pid;
  if (pid === undefined) {
    const failure = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${program}: ${failure.message}`);
  }
  let alive = true;
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = keepEnd(stderr, chunk);
  });
  // A handler that throws is a bug in paratop: it takes the crash path (terminal restored, every
  // workload ended), rather than being swallowed with every later message.
  child.on('message', (message) => onMessage(message as ToEngine));
  // A kill or a failed spawn reports here; sends report to their own callback. `ended` says how it ended.
  child.on('error', () => undefined);
  const ended = new Promise<{ code: number | undefined; signal: string | undefined; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => {
      alive = false;
      resolve({ code: code ?? undefined, signal: signal ?? undefined, stderr });
    });
  });
  // The workload watches its IPC channel and parent PID, so it ends with paratop whatever way paratop ends.
  return {
    pid,
    ended,
    get alive() {
      return alive;
    },
    send(message) {
      if (alive && child.connected) child.send(message, () => undefined);
    },
    kill(signal) {
      if (alive) signalQuietly(pid, signal);
    },
  };
}

/** The end of a workload's stderr, enough to show its error and stack. */
export function keepEnd(kept: string, chunk: string): string {
  return (kept + chunk).slice(-STDERR_KEPT);
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
    return { code: result.exitCode, signal: result.signal, stderr: keepEnd('', String(result.stderr ?? '')) };
  });
  let pending = '';
  subprocess.stdout.setEncoding('utf8');
  subprocess.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      let message: ToEngine | undefined;
      try {
        message = JSON.parse(line) as ToEngine;
      } catch {
        // not one of our lines (a library printing): ignore it
      }
      if (message !== undefined) onMessage(message);
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
      if (alive) signalQuietly(pid, signal);
    },
  };
}
