import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PidusageTaskProbe } from '../../../src/sampler/fallback/pidusage-task-probe.js';

test('the fallback probe: the latest answer for each PID asked, one question for all of them', async () => {
  const questions: number[][] = [];
  let ctime = 1500;
  const probe = new PidusageTaskProbe(async (pids) => {
    questions.push(pids);
    ctime += 500;
    return Object.fromEntries(pids.map((pid) => [String(pid), pid === 42 ? null : { ctime, memory: 4096 }]));
  });
  assert.equal(probe.processCpuSeconds(7), null, 'no answer yet: not known, never 0');
  assert.equal(probe.memory(8), null);
  await sleep(10);
  assert.equal(probe.processCpuSeconds(7), 2);
  assert.deepEqual(probe.memory(7), { rss: 4096, pss: null, uss: null });
  assert.equal(probe.processCpuSeconds(42), null, 'a PID that is gone');
  await sleep(600);
  assert.ok((probe.processCpuSeconds(7) ?? 0) > 2, 'asked again in the background');
  assert.ok(
    questions.some((pids) => pids.includes(7) && pids.includes(8) && pids.includes(42)),
    'one question',
  );
  assert.equal(probe.coreTimes().length, cpus().length, "per-core times from Node's os.cpus()");
  assert.equal(probe.placement(), null);
});

test('real pidusage on this machine: its own CPU time, as Node counts it', async () => {
  const probe = new PidusageTaskProbe();
  probe.processCpuSeconds(process.pid);
  const deadline = Date.now() + 5000;
  while (probe.processCpuSeconds(process.pid) === null && Date.now() < deadline) await sleep(50);
  const seconds = probe.processCpuSeconds(process.pid);
  const own = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
  assert.ok(seconds !== null && seconds > 0 && seconds <= own + 0.5, `${seconds} s against ${own} s`);
});
