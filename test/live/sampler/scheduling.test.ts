import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import { isAlive, waitForExit } from '../../helpers/processes.js';
import { BIN } from '../../helpers/pty-session.js';

/** Busy loops pinned with taskset (util-linux), so where they run and how long they wait is known. */
function tasksetMissing(): string | false {
  if (process.platform !== 'linux') return 'scheduling figures are read from Linux /proc';
  return existsSync('/usr/bin/taskset') ? false : 'needs taskset (Debian: apt-get install util-linux)';
}

describe('where tasks run and how long they wait for a core', { skip: tasksetMissing() }, () => {
  const children: ChildProcess[] = [];
  const spin = (cores: string): ChildProcess => {
    const child = spawn('taskset', ['-c', cores, 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(child);
    return child;
  };

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const child of children) await waitForExit(child).catch(() => undefined);
    for (const child of children) assert.equal(isAlive(child.pid ?? 0), false);
  });

  test('a spinner pinned to the last core reads that core every time, and hardly waits', async () => {
    const last = cpus().length - 1;
    const child = spin(String(last));
    const sampler = new LinuxSampler();
    await sleep(300);
    await sampler.sampleProcesses();
    for (let reading = 0; reading < 3; reading += 1) {
      await sleep(400);
      const self = (await sampler.sampleProcesses()).find((entry) => entry.pid === child.pid);
      assert.ok(self, 'the spinner is listed');
      assert.equal(self.lastCpu, last);
      // Generous: other work may share its core on a 2-core test machine.
      assert.ok(self.waitPercent !== null && self.waitPercent < 50, `WAIT% ${self.waitPercent}`);
    }
    const [thread] = (await sampler.sampleThreads(child.pid ?? 0)) ?? [];
    assert.equal(thread?.lastCpu, last);
    child.kill('SIGKILL');
  });

  test('four spinners on one core: each waits most of the time, preempted rather than blocked', async () => {
    const four = [spin('0'), spin('0'), spin('0'), spin('0')];
    const pids = new Set(four.map((child) => child.pid));
    const sampler = new LinuxSampler();
    await sleep(300);
    await sampler.sampleProcesses();
    const threadsBefore = await sampler.sampleThreads(four[0]?.pid ?? 0);
    assert.ok(threadsBefore);
    await sleep(1500);
    const readings = (await sampler.sampleProcesses()).filter((entry) => pids.has(entry.pid));
    assert.equal(readings.length, 4);
    for (const reading of readings) {
      // Each gets about a quarter of the core and waits about three quarters of the time.
      assert.ok(reading.waitPercent !== null && reading.waitPercent > 40, `WAIT% ${reading.waitPercent}`);
      assert.equal(reading.lastCpu, 0);
      assert.ok((reading.ctxInvoluntaryPerSecond ?? 0) > (reading.ctxVoluntaryPerSecond ?? 0), 'preempted');
    }
    const [thread] = (await sampler.sampleThreads(four[0]?.pid ?? 0)) ?? [];
    assert.ok(thread?.waitPercent !== null && (thread?.waitPercent ?? 0) > 40, `thread WAIT% ${thread?.waitPercent}`);
    assert.equal(thread?.migrationsPerSecond, 0, 'pinned to one core: no migrations');
    for (const child of four) child.kill('SIGKILL');
  });

  test("snapshot --json --threads PID: that process's threads with their core and waiting, as JSON", () => {
    const last = cpus().length - 1;
    const child = spin(String(last));
    const result = spawnSync(
      process.execPath,
      [BIN, 'snapshot', '--json', '--limit', '1', '--threads', String(child.pid)],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stderr);
    const record = JSON.parse(result.stdout) as { threads: { tid: number; lastCpu: number; waitPercent: number }[] };
    assert.equal(record.threads.length, 1);
    assert.equal(record.threads[0]?.tid, child.pid);
    assert.equal(record.threads[0]?.lastCpu, last);
    assert.equal(typeof record.threads[0]?.waitPercent, 'number');
    child.kill('SIGKILL');
  });

  test('a thread that sleeps waits for nothing: WAIT% near 0, its switches voluntary', async () => {
    const sleeper = spawn('sh', ['-c', 'while :; do sleep 0.01; done'], { stdio: 'ignore' });
    children.push(sleeper);
    const sampler = new LinuxSampler();
    await sleep(300);
    await sampler.sampleThreads(sleeper.pid ?? 0);
    await sleep(1000);
    const [thread] = (await sampler.sampleThreads(sleeper.pid ?? 0)) ?? [];
    assert.ok(thread && thread.waitPercent !== null && thread.waitPercent < 10, `WAIT% ${thread?.waitPercent}`);
    assert.ok((thread?.ctxVoluntaryPerSecond ?? 0) > (thread?.ctxInvoluntaryPerSecond ?? 0), 'blocked, not preempted');
    execFileSync('kill', ['-9', String(sleeper.pid)]);
  });
});
