import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sendSignal } from '../../../src/app/send-signal.js';
import type { KillTarget } from '../../../src/model/dashboard-state.js';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import { TestProcesses, isAlive, waitForExit } from '../../helpers/processes.js';

describe('sendSignal on real processes', { skip: process.platform !== 'linux' }, () => {
  const processes = new TestProcesses();
  const sampler = new LinuxSampler();
  after(() => processes.stopAll());

  async function targetFor(pid: number): Promise<KillTarget> {
    const identity = await sampler.identify(pid);
    assert.ok(identity, `PID ${pid} is running`);
    return { pid, name: 'node', user: 'root', command: 'node -e …', startToken: identity.startToken };
  }

  test('signals the chosen process, then reports that it has exited', async () => {
    const child = processes.idle('paratop-test-signal');
    const target = await targetFor(child.pid ?? 0);
    const sent = await sendSignal(target, 'SIGTERM', {
      identify: (pid) => sampler.identify(pid),
      selfPid: process.pid,
    });
    assert.deepEqual(sent, { ok: true, text: `Sent SIGTERM to PID ${child.pid} (node).` });
    assert.equal(await waitForExit(child), 'SIGTERM');
    const again = await sendSignal(target, 'SIGTERM', {
      identify: (pid) => sampler.identify(pid),
      selfPid: process.pid,
    });
    assert.equal(again.ok, false);
    assert.match(again.text, /has already exited; nothing was sent/);
  });

  test('a PID now held by a different process (another start time) is left alone', async () => {
    const child = processes.idle('paratop-test-reuse');
    const target = { ...(await targetFor(child.pid ?? 0)), startToken: '1' };
    const outcome = await sendSignal(target, 'SIGKILL', {
      identify: (pid) => sampler.identify(pid),
      selfPid: process.pid,
    });
    assert.equal(outcome.ok, false);
    assert.match(outcome.text, /now belongs to another process .* nothing was sent/);
    assert.ok(isAlive(child.pid ?? 0), 'the newcomer was not signalled');
  });

  test('PID 1 and paratop itself are refused without calling kill; EPERM is explained', async () => {
    const kill = (): void => assert.fail('kill must not be called');
    const identify = (pid: number) => sampler.identify(pid);
    const init = await sendSignal({ pid: 1, name: 'init', user: 'root', command: '', startToken: '1' }, 'SIGTERM', {
      identify,
      selfPid: 77,
      kill,
    });
    assert.match(init.text, /PID 1 is init/);
    const own = await sendSignal({ ...(await targetFor(process.pid)) }, 'SIGTERM', {
      identify,
      selfPid: process.pid,
      kill,
    });
    assert.match(own.text, /paratop itself/);

    const child = processes.idle('paratop-test-eperm');
    const denied = await sendSignal({ ...(await targetFor(child.pid ?? 0)), user: 'postgres' }, 'SIGTERM', {
      identify,
      selfPid: process.pid,
      kill: () => {
        throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      },
    });
    assert.deepEqual(denied, {
      ok: false,
      text:
        `Not permitted to signal PID ${child.pid} (node): it belongs to ` +
        `postgres. Run paratop as postgres or as root.`,
    });
  });
});
