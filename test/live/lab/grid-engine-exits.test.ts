import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { findEngine } from '../../../src/lab/engine-runtime.js';
import { BIN } from '../../helpers/pty-session.js';
import { TAG_NAME, type Tagged, newTag, processesTagged } from '../../helpers/started.js';

/**
 * `paratop lab run grid-search --engine dask|mpi` ended every way a headless run can end mid-grid:
 * Ctrl-C, SIGTERM, SIGHUP and SIGKILL. The scheduler, workers, mpirun and ranks carry a tag in
 * their environment: none may be left (a socket ends with its process, so none is left listening).
 */
const engines = { dask: await findEngine('dask'), mpi: await findEngine('mpi') };
const PACKAGES = { dask: 'python3-distributed', mpi: 'openmpi-bin python3-mpi4py' };

async function until<T>(look: () => T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = look();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = look();
  }
  return value;
}

/** Processes of the run: the task program's, mpirun's and the ranks' (the keeper and paratop left out). */
function engineProcesses(tag: string): Tagged[] {
  return processesTagged(tag).filter(
    (found) => /paratop_grid\.py|mpirun/.test(found.command) && !/command-keeper/.test(found.command),
  );
}

for (const engine of ['dask', 'mpi'] as const) {
  const found = engines[engine];
  describe(`grid-search on ${engine}, paratop ended mid-grid: nothing of the engine is left`, {
    skip:
      (process.platform !== 'linux' && 'reads /proc') ||
      (!found.available && `needs ${PACKAGES[engine]}: ${found.available ? '' : found.reason}`),
    timeout: 120_000,
  }, () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
      test(`${signal}`, async () => {
        const tag = newTag();
        const paratop = spawn(
          process.execPath,
          [BIN, 'lab', 'run', 'grid-search', '--engine', engine, '--workers', '2', '--task-ms', '200'],
          { stdio: 'ignore', env: { ...process.env, [TAG_NAME]: tag } },
        );
        try {
          // Dask: the driver, the scheduler and 2 workers; MPI: mpirun and 3 ranks.
          const running = await until(
            () => engineProcesses(tag),
            (list) => list.length >= 4,
            30_000,
          );
          assert.ok(running.length >= 4, `started: ${running.map((entry) => entry.command).join(' | ')}`);
          await new Promise((resolve) => setTimeout(resolve, 1500));
          assert.equal(paratop.exitCode, null, 'paratop was mid-grid');
          paratop.kill(signal);
          const left = await until(
            () => processesTagged(tag),
            (list) => list.length === 0,
            10_000,
          );
          assert.deepEqual(
            left.map((entry) => `${entry.pid} ${entry.command}`),
            [],
            'nothing left running',
          );
        } finally {
          paratop.kill('SIGKILL');
          for (const { pid } of processesTagged(tag)) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone meanwhile
            }
          }
        }
      });
    }
  });
}
