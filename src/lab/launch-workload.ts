import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ToEngine, ToWorkload, WorkloadSpec } from '../../scenarios/workloads/protocol.js';
import { packageRoot } from '../package-root.js';

export type WorkloadProgram = 'thread-host' | 'process-worker';

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

/** The compiled workload programs (they run as plain node, in their own processes). */
export function workloadPath(program: WorkloadProgram): string {
  const path = join(packageRoot(), 'dist', 'scenarios', 'workloads', `${program}.js`);
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
