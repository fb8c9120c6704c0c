import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { BIN } from '../../helpers/pty-session.js';
import { isAlive } from '../../helpers/processes.js';
import { allGone, childrenOf } from '../../helpers/proc-measure.js';

/**
 * SIGKILL leaves paratop no chance to clean up, so the workloads must notice on their own. Here
 * paratop runs headless from a plain pipe: no terminal hang-up signal helps them.
 */
describe('workloads notice when paratop is killed', { skip: process.platform !== 'linux', timeout: 60_000 }, () => {
  for (const [scenario, workers] of [
    ['processes', 2],
    ['gil-threads', 3],
  ] as const) {
    test(`paratop lab run ${scenario}, then SIGKILL: every workload ends by itself`, async () => {
      const paratop = spawn(
        process.execPath,
        [BIN, 'lab', 'run', scenario, '--workers', String(workers), '--seconds', '60'],
        {
          stdio: 'ignore',
        },
      );
      const expected = scenario === 'processes' ? workers : 1;
      const deadline = Date.now() + 10_000;
      let pids: number[] = [];
      while (pids.length < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        pids = childrenOf(paratop.pid ?? 0);
      }
      assert.equal(pids.length, expected, 'the workloads started');
      paratop.kill('SIGKILL');
      assert.ok(await allGone(pids, 3000, isAlive), `orphaned workloads ${pids.join(', ')} kept running`);
    });
  }
});
