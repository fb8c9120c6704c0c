import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { findExecutable } from '../../../src/lab/find-executable.js';
import { parseCpuList } from '../../../src/model/cpu-list.js';
import { labSession } from '../../helpers/lab-session.js';
import { isAlive } from '../../helpers/processes.js';

function hasTaskset(): boolean {
  try {
    findExecutable('taskset');
    return true;
  } catch {
    return false;
  }
}

/** The cores this test may run on, read from /proc without paratop. */
const allowed = parseCpuList(/^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '');

interface Phase {
  phase: string;
  cores: string;
  cpu: (number | null)[];
}

describe('lab: pinned', {
  skip: process.platform !== 'linux' || !hasTaskset() ? 'needs Linux and taskset' : false,
  timeout: 60_000,
}, () => {
  const { run } = labSession();

  test('two processes pinned to one core share it; unpinned, each gets a core', async () => {
    const result = await run('pinned', { workers: 2, jobSeconds: 2 });
    assert.equal(result.stoppedBy, 'finished');
    const phases = (result.details as { phases: Phase[] }).phases;
    const sum = (phase: Phase | undefined) => (phase?.cpu ?? []).reduce<number>((all, one) => all + (one ?? 0), 0);
    const [pinned, free] = phases;
    assert.equal(pinned?.cpu.length, 2);
    assert.ok(
      pinned?.cpu.every((one) => one !== null && one > 10),
      `both ran: ${JSON.stringify(pinned)}`,
    );
    // Generous bounds for a noisy 2-core machine: one core shared is at most ~1.2 cores in all.
    assert.ok(sum(pinned) <= 120, `pinned: ${sum(pinned).toFixed(0)}% in all`);
    if ((allowed?.length ?? 0) >= 2) {
      assert.ok(sum(free) >= 150, `unpinned: ${sum(free).toFixed(0)}% in all`);
      assert.match(result.summary, /^pinned to one core \(cores \d+\): \d+% and \d+%.*; unpinned/);
    } else {
      assert.equal(free, undefined);
      assert.match(result.summary, /no second core/);
    }
    assert.deepEqual(result.table?.columns, ['phase', 'cores', 'worker', 'PID', 'CPU %']);
    const pids = (result.table?.rows ?? []).map((row) => Number(row[3])).filter((pid) => pid > 0);
    assert.ok(pids.length >= 2);
    for (const pid of pids) assert.equal(isAlive(pid), false, `worker PID ${pid} is gone`);
  });
});
