import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ToEngine, WorkloadSpec } from '../../../src/lab/protocol.js';
import { keepEnd, launchWorkload } from '../../../src/lab/launch-workload.js';
import { isAlive } from '../../helpers/processes.js';

function spec(fields: Partial<WorkloadSpec>): WorkloadSpec {
  return {
    mode: 'idle',
    threads: 1,
    firstIndex: 0,
    namePrefix: 'launch-test',
    switchIntervalMs: 5,
    parentPid: process.pid,
    ...fields,
  };
}

/** Launch a process worker and collect what it says; `until` resolves at the first message it accepts. */
async function launch(fields: Partial<WorkloadSpec>) {
  const messages: ToEngine[] = [];
  const waiting: { match: (message: ToEngine) => boolean; resolve: (message: ToEngine) => void }[] = [];
  const workload = await launchWorkload('process-worker', spec(fields), (message) => {
    messages.push(message);
    for (const waiter of waiting.filter(({ match }) => match(message))) waiter.resolve(message);
  });
  const until = (match: (message: ToEngine) => boolean): Promise<ToEngine> =>
    new Promise((resolve) => {
      const seen = messages.find(match);
      if (seen) resolve(seen);
      else waiting.push({ match, resolve });
    });
  return { workload, messages, until };
}

describe('launching a workload process', { timeout: 20_000 }, () => {
  test('it reports in over IPC with its own PID, answers, and ends cleanly when asked to stop', async () => {
    const { workload, messages, until } = await launch({ mode: 'echo' });
    const ready = await until((message) => message.type === 'ready');
    assert.equal(ready.type === 'ready' && ready.pid, workload.pid);
    assert.ok(workload.alive);
    workload.send({ type: 'ping', id: 7 });
    const pong = await until((message) => message.type === 'pong');
    assert.deepEqual(pong, { type: 'pong', id: 7 });
    workload.send({ type: 'stop' });
    const end = await workload.ended;
    assert.deepEqual([end.code, end.signal], [0, undefined]);
    // The exact count a stopped worker sends last has arrived by the time `ended` resolves.
    assert.ok(
      messages.some((message) => message.type === 'progress' && message.final),
      'the final count arrived before the end',
    );
    assert.equal(workload.alive, false);
    assert.equal(isAlive(workload.pid), false);
    // Talking to or killing a process that has ended is harmless.
    workload.send({ type: 'ping', id: 8 });
    workload.kill('SIGKILL');
  });

  test('a crash is reported with its exit code and the end of its stderr', async () => {
    const { workload } = await launch({ mode: 'crash', crashIndex: 0, crashHow: 'throw' });
    const end = await workload.ended;
    assert.equal(end.code, 1);
    assert.match(end.stderr, /worker 0 crashed on purpose/);
  });

  test('only the last 2,000 characters of stderr are kept, however it arrives', () => {
    let kept = '';
    for (let chunk = 0; chunk < 30; chunk += 1)
      kept = keepEnd(kept, `${String(chunk).padStart(3, '0')}${'.'.repeat(97)}`);
    assert.equal(kept.length, 2000);
    assert.ok(kept.startsWith('010') && kept.endsWith('.'), 'the oldest chunks went first');
    assert.equal(keepEnd('', 'short'), 'short');
  });

  test('a kill is reported with its signal', async () => {
    const { workload, until } = await launch({ mode: 'idle' });
    await until((message) => message.type === 'ready');
    workload.kill('SIGKILL');
    const end = await workload.ended;
    assert.deepEqual([end.code, end.signal], [undefined, 'SIGKILL']);
  });
});
