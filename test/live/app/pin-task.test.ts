import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DashboardRuntime } from '../../../src/app/dashboard-runtime.js';
import { pinTask } from '../../../src/app/pin-task.js';
import type { AffinityTarget, DashboardState } from '../../../src/model/dashboard-state.js';
import { parseCpuList } from '../../../src/model/cpu-list.js';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import { TasksetAffinity } from '../../../src/sampler/linux/taskset-affinity.js';
import { key, startState } from '../../helpers/dashboard-events.js';
import { TestProcesses, isAlive } from '../../helpers/processes.js';
import { findExecutable } from '../../../src/lab/find-executable.js';

function findExecutableSync(program: string): string | null {
  try {
    return findExecutable(program);
  } catch {
    return null;
  }
}

/** The cores a task may run on, read from /proc without paratop. */
function allowedOf(path: string): number[] {
  const line = /^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync(path, 'utf8'));
  return parseCpuList(line?.[1] ?? '') ?? [];
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const hasTaskset = findExecutableSync('taskset') !== null;
const twoCores = cpus().length >= 2 && allowedOf('/proc/self/status').includes(1);

describe('pinning real processes', {
  skip: process.platform !== 'linux' || !hasTaskset ? 'needs Linux and taskset' : false,
}, () => {
  const processes = new TestProcesses();
  const sampler = new LinuxSampler();
  const affinity = new TasksetAffinity();
  after(() => processes.stopAll());

  async function targetOf(pid: number, tid: number | null = null): Promise<AffinityTarget> {
    const identity = await sampler.identify(pid);
    assert.ok(identity, `PID ${pid} is running`);
    return { pid, tid, name: 'node', user: 'root', startToken: identity.startToken };
  }

  test('a, Space, Enter in the dashboard pins a spinner to core 1: read back from /proc', {
    skip: !twoCores && 'needs cores 0 and 1',
  }, async () => {
    const spinner = processes.busy('paratop-test-pin-spinner');
    const pid = spinner.pid ?? 0;
    await until('the spinner in /proc', () => isAlive(pid));
    const listed = (await sampler.sampleProcesses()).filter((process) => process.pid === pid);
    assert.equal(listed.length, 1);
    const first = startState({ coreIds: [0, 1], selfPid: process.pid });
    const state: DashboardState = { ...first, processes: listed, cursor: { ...first.cursor, selectedId: pid } };
    const runtime = new DashboardRuntime(state, {
      sampler,
      affinity,
      renderer: { render: () => undefined },
      lab: { start: async () => undefined, startCommand: async () => undefined, stop: async () => undefined },
      onQuit: () => undefined,
    });
    try {
      runtime.dispatch(key('a'));
      await until(
        'the current cores',
        () => runtime.current.mode.kind === 'affinity' && runtime.current.mode.chosen !== null,
      );
      const mode = runtime.current.mode;
      assert.ok(mode.kind === 'affinity' && mode.chosen?.includes(0) && mode.chosen.includes(1), 'preselected 0 and 1');
      runtime.dispatch(key('space', ' ')); // core 0 off: core 1 alone
      runtime.dispatch(key('enter'));
      await until('the status line', () => /Pinned/.test(runtime.current.status?.text ?? ''));
      assert.match(
        runtime.current.status?.text ?? '',
        new RegExp(`Pinned PID ${pid} \\(node\\) to core 1, every thread`),
      );
      for (const tid of readdirSync(`/proc/${pid}/task`))
        assert.deepEqual(allowedOf(`/proc/${pid}/task/${tid}/status`), [1], `thread ${tid} pinned too`);
    } finally {
      runtime.stop();
      spinner.kill('SIGKILL');
    }
    await until('the spinner gone', () => !isAlive(pid));
  });

  test('one thread pinned alone: the others keep their cores', {
    skip: !twoCores && 'needs cores 0 and 1',
  }, async () => {
    const script =
      "new (require('node:worker_threads').Worker)('for(;;){}', { eval: true }); setInterval(() => {}, 1e9)";
    const child = processes.node(script, 'paratop-test-pin-thread');
    const pid = child.pid ?? 0;
    await until('its threads', () => isAlive(pid) && readdirSync(`/proc/${pid}/task`).length > 2);
    const tids = readdirSync(`/proc/${pid}/task`).map(Number);
    const tid = tids.find((one) => one !== pid) ?? pid;
    const outcome = await pinTask({ ...(await targetOf(pid)), tid }, [0], {
      identify: (one) => sampler.identify(one),
      selfPid: process.pid,
      setAffinity: (one, cores, all) => affinity.set(one, cores, all),
      hasThread: async (one, thread) => (await affinity.read(one, thread)).ok,
    });
    assert.equal(outcome.ok, true, outcome.text);
    assert.match(outcome.text, new RegExp(`Pinned thread ${tid} of PID ${pid}`));
    assert.deepEqual(allowedOf(`/proc/${pid}/task/${tid}/status`), [0]);
    assert.deepEqual(
      allowedOf(`/proc/${pid}/task/${pid}/status`),
      allowedOf('/proc/self/status'),
      'main thread unchanged',
    );
    assert.deepEqual((await affinity.read(pid, tid)).ok && (await affinity.read(pid, tid)), { ok: true, cores: [0] });
    child.kill('SIGKILL');
    await until('the child gone', () => !isAlive(pid));
  });

  test("EPERM: an unprivileged taskset may not pin root's process, said in words", async (t) => {
    const setpriv = findExecutableSync('setpriv');
    if (process.getuid?.() !== 0 || !setpriv) return t.skip('needs root and setpriv to run taskset as nobody');
    const dir = mkdtempSync(join(tmpdir(), 'paratop-eperm-'));
    try {
      const wrapper = join(dir, 'taskset');
      writeFileSync(wrapper, `#!/bin/sh\nexec ${setpriv} --reuid=65534 --regid=65534 --clear-groups taskset "$@"\n`);
      chmodSync(wrapper, 0o755);
      const child = processes.idle('paratop-test-pin-eperm');
      const pid = child.pid ?? 0;
      await until('the child', () => isAlive(pid));
      const before = allowedOf(`/proc/${pid}/status`);
      const outcome = await pinTask(await targetOf(pid), [0], {
        identify: (one) => sampler.identify(one),
        selfPid: process.pid,
        setAffinity: (one, cores, all) => new TasksetAffinity('/proc', wrapper).set(one, cores, all),
        hasThread: async () => true,
      });
      assert.equal(outcome.ok, false);
      assert.match(outcome.text, /Not permitted to pin PID \d+ \(node\): it belongs to root\. Only root may change it/);
      assert.deepEqual(allowedOf(`/proc/${pid}/status`), before, 'unchanged');
      child.kill('SIGKILL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('taskset missing: said in words', async () => {
    const outcome = await new TasksetAffinity('/proc', '/nonexistent/taskset').set(process.pid, [0], true);
    assert.deepEqual(outcome.ok ? null : outcome.failure, 'no-tool');
  });
});
