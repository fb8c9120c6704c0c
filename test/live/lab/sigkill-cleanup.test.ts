import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { BIN } from '../../helpers/pty-session.js';
import { TAG_NAME, type Tagged, newTag, processesTagged } from '../../helpers/started.js';
import { WORKLOAD_MARKER } from '../../helpers/workloads.js';

/**
 * SIGKILL gives paratop no chance to clean up: every workload must notice on its own. paratop runs
 * headless here, from a plain pipe, with a tag in its environment that everything it starts
 * inherits: so the processes found are this test's, started after it began, and no other test's.
 */
const HAS_PYTHON =
  spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;

/** Live workload processes whose environment carries `tag`. */
function workloadsTagged(tag: string): Tagged[] {
  return processesTagged(tag).filter((found) => WORKLOAD_MARKER.test(found.command));
}

async function until<T>(look: () => T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = look();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = look();
  }
  return value;
}

const CASES: { id: string; args: string[]; workloads: number; midRunMs: number; python?: boolean }[] = [
  // Far more increments than it can do before the kill: it is still counting.
  { id: 'race', args: ['--workers', '2', '--count', '100000000'], workloads: 1, midRunMs: 300 },
  { id: 'grid-search', args: ['--workers', '2'], workloads: 1, midRunMs: 500 },
  { id: 'fork-memory', args: ['--workers', '2', '--megabytes', '32'], workloads: 3, midRunMs: 100 },
  { id: 'threads-vs-processes', args: ['--workers', '8'], workloads: 1, midRunMs: 1000 },
  // Killed while it builds or times a working set of up to 1 GiB.
  { id: 'memory-hierarchy', args: ['--megabytes', '1024'], workloads: 1, midRunMs: 1500 },
  { id: 'cache-sharing', args: ['--workers', '2', '--megabytes', '64'], workloads: 1, midRunMs: 500 },
  { id: 'py-processes', args: ['--workers', '2', '--seconds', '60'], workloads: 3, midRunMs: 300, python: true },
  // Killed while 8 threads wait on their requests to the delay service.
  { id: 'io-bound', args: ['--workers', '8'], workloads: 1, midRunMs: 500 },
  { id: 'py-io-threads', args: ['--workers', '8'], workloads: 1, midRunMs: 500, python: true },
];

describe('paratop lab run killed with SIGKILL mid-run: every workload ends by itself', {
  skip: process.platform !== 'linux',
  timeout: 120_000,
}, () => {
  for (const { id, args, workloads, midRunMs, python } of CASES) {
    test(`${id}`, { skip: python && !HAS_PYTHON && 'needs python3' }, async () => {
      const tag = newTag();
      const paratop = spawn(process.execPath, [BIN, 'lab', 'run', id, ...args], {
        stdio: 'ignore',
        env: { ...process.env, [TAG_NAME]: tag },
      });
      try {
        const running = await until(
          () => workloadsTagged(tag),
          (found) => found.length >= workloads,
          15_000,
        );
        assert.ok(
          running.length >= workloads,
          `${id}: workloads started: ${running.map((found) => found.command).join(' | ')}`,
        );
        await new Promise((resolve) => setTimeout(resolve, midRunMs));
        assert.equal(paratop.exitCode, null, `${id} was still running when killed`);
        paratop.kill('SIGKILL');
        const left = await until(
          () => workloadsTagged(tag),
          (found) => found.length === 0,
          6000,
        );
        assert.deepEqual(left, [], `${id} left workloads running`);
      } finally {
        paratop.kill('SIGKILL');
        for (const { pid } of workloadsTagged(tag)) {
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
