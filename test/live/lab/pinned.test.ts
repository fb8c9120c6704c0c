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

/** Busy and total CPU seconds of the whole machine so far, from /proc/stat's first line. */
function machineTimes(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, one) => sum + one, 0) / 100;
  const idle = ((fields[3] ?? 0) + (fields[4] ?? 0)) / 100;
  return { busy: total - idle, total };
}

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
    const before = machineTimes();
    const startedAt = performance.now();
    const result = await run('pinned', { workers: 2, jobSeconds: 2 });
    const after = machineTimes();
    const wall = (performance.now() - startedAt) / 1000;
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
      // A shared test machine: where other programs kept a core busy meanwhile, two free workers
      // cannot have both; then they must at least have had more than the one pinned core.
      const othersCores = (after.busy - before.busy) / wall - (sum(pinned) + sum(free)) / 200;
      const floor = othersCores > 0.4 ? Math.max(sum(pinned), 80) : 150;
      assert.ok(
        sum(free) >= floor,
        `unpinned: ${sum(free).toFixed(0)}% in all (others used ${othersCores.toFixed(2)} cores)`,
      );
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
