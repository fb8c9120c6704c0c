import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { FallbackSampler } from '../../../src/sampler/fallback/fallback-sampler.js';
import type { FallbackSource, NodeCoreTimes } from '../../../src/sampler/fallback/fallback-source.js';
import { type CommandOutput, programPath } from '../../../src/sampler/fallback/run-command.js';
import { assertClose } from '../../helpers/assert-close.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const bytes = (path: string): string => readFileSync(join(fixturesDir, path), 'latin1');

/** A Mac as captured: each command answers from a queue of outputs; every call is recorded. */
class CapturedMac implements FallbackSource {
  platform: NodeJS.Platform = 'darwin';
  readonly calls: string[] = [];
  clock = 0;
  cores: NodeCoreTimes[] = [
    { user: 1000, nice: 0, sys: 500, idle: 8500, irq: 0 },
    { user: 2000, nice: 0, sys: 0, idle: 8000, irq: 0 },
  ];
  answers = new Map<string, CommandOutput[]>();

  answer(command: string, ...outputs: (string | CommandOutput)[]): void {
    this.answers.set(
      command,
      outputs.map((output) => (typeof output === 'string' ? { stdout: output, exitCode: 0, pid: 99999 } : output)),
    );
  }

  coreTimes = (): NodeCoreTimes[] => this.cores;
  totalMemory = (): number => 17179869184;
  freeMemory = (): number => 4518 * 16384;
  loadAverage = (): [number, number, number] => [6.27, 6.87, 5.71];
  uptimeSeconds = (): number => 156_000;
  now = (): number => 1_800_000_000_000 + this.clock;
  monotonic = (): number => this.clock;
  run = async (file: string, args: readonly string[]): Promise<CommandOutput> => {
    const command = [file, ...args].join(' ');
    this.calls.push(command);
    const key = [...this.answers.keys()].find((prefix) => command.startsWith(prefix));
    const queue = key === undefined ? undefined : this.answers.get(key);
    const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    return next ?? assert.fail(`not captured: ${command}`);
  };
}

describe('FallbackSampler on a captured Mac', () => {
  test('system: per-core load from Node, memory from vm_stat, one command a refresh', async () => {
    const mac = new CapturedMac();
    mac.answer('vm_stat', bytes('macos/vm-stat-m1-pro.txt'));
    mac.answer('sysctl vm.swapusage', bytes('macos/swapusage-m1-pro.txt'));
    const sampler = new FallbackSampler(mac);
    const first = await sampler.sampleSystem();
    assert.equal(first.cores, null, 'no interval yet: nothing made up');
    assert.equal(first.memory.usedBytes, (247311 - 630 + 159117 + 454496) * 16384);
    mac.cores = [
      { user: 1600, nice: 0, sys: 700, idle: 8700, irq: 0 },
      { user: 2000, nice: 0, sys: 0, idle: 9000, irq: 0 },
    ];
    const second = await sampler.sampleSystem();
    assert.deepEqual(second.cores?.[0], { id: 0, user: 60, system: 20, iowait: 0, steal: 0, idle: 20, total: 80 });
    assert.equal(second.cores?.[1]?.total, 0);
    assertClose(second.cpu?.total, 40);
    assert.equal(second.memory.swapTotalBytes, 2048 * 2 ** 20, 'the second refresh read the swap');
    assert.equal(second.kernel, null);
    assert.deepEqual(second.loadAverage, [6.27, 6.87, 5.71]);
    for (let refresh = 0; refresh < 40; refresh += 1) await sampler.sampleSystem();
    assert.equal(mac.calls.length, 42, 'one command per refresh, never two');
    assert.equal(mac.calls.filter((call) => call.startsWith('sysctl')).length, 2);
  });

  test('processes: one ps per scan, CPU% from CPU-time deltas, ps itself left out', async () => {
    const mac = new CapturedMac();
    const psRow =
      'ps               99999 95204   501 student       R+     0:00.00   1200 ' +
      'Thu May 28 03:44:12 2026     ps -axww';
    const withPs = `${bytes('macos/ps-axo-t0.txt')}${psRow}\n`;
    mac.answer('ps -axww', withPs, bytes('macos/ps-axo-t1.txt'));
    const sampler = new FallbackSampler(mac);
    const first = await sampler.sampleProcesses();
    assert.equal(first.length, 11);
    assert.ok(first.every((process) => process.cpu === null));
    mac.clock += 2000;
    const second = await sampler.sampleProcesses();
    assert.equal(mac.calls.length, 2);
    assertClose(second.find((process) => process.pid === 61677)?.cpu, 50);
    assertClose(second.find((process) => process.pid === 88018)?.cpu, 25);
    assert.equal(second.find((process) => process.pid === 1)?.cpu, 0);
    assert.equal(second.find((process) => process.pid === 95411)?.cpu, null, 'a newcomer has no interval yet');
    assert.equal(
      second.find((process) => process.pid === 95310),
      undefined,
      'the zombie was reaped',
    );
    const renderer = second.find((process) => process.pid === 61677);
    assertClose(renderer?.memPercent, ((277456 * 1024) / 17179869184) * 100);
    assert.equal(renderer?.ctxPerSecond, null);
  });

  test('a ps that exits non-zero: what it listed is used; with nothing listed the scan fails', async () => {
    const mac = new CapturedMac();
    mac.answer(
      'ps -axww',
      { stdout: bytes('macos/ps-axo-t1.txt'), exitCode: 1, pid: 98 },
      { stdout: '', exitCode: 1, pid: 98 },
    );
    const sampler = new FallbackSampler(mac);
    assert.equal((await sampler.sampleProcesses()).length, 11);
    await assert.rejects(sampler.sampleProcesses(), /ps listed no processes \(exit code 1\)/);
  });

  test('threads from ps -M: rates by row while the count holds; null once the process is gone', async () => {
    const mac = new CapturedMac();
    const later = bytes('macos/ps-m-finder.txt').replace('0:48.13   1:14.78', '0:48.63   1:15.28');
    mac.answer('ps -M -p 559', bytes('macos/ps-m-finder.txt'), later, { stdout: '', exitCode: 1, pid: 98 });
    const sampler = new FallbackSampler(mac);
    const first = await sampler.sampleThreads(559, true);
    assert.equal(first?.length, 4);
    assert.ok(first?.every((thread) => thread.cpu === null && thread.pid === 559));
    mac.clock += 1000;
    const second = await sampler.sampleThreads(559);
    assertClose(second?.[0]?.cpu, 100);
    assert.equal(second?.[1]?.cpu, 0);
    assert.equal(second?.[0]?.ctxVoluntary, null);
    assert.equal(await sampler.sampleThreads(559), null);
  });

  test('identify: the same start token as the scan, null for a PID ps does not know', async () => {
    const mac = new CapturedMac();
    const line = bytes('macos/ps-axo-t0.txt')
      .split('\n')
      .find((row) => row.includes(' 61677 '));
    mac.answer('ps -ww -p 61677', `${line}\n`);
    mac.answer('ps -ww -p 4242', { stdout: '', exitCode: 1, pid: 98 });
    const sampler = new FallbackSampler(mac);
    assert.deepEqual(await sampler.identify(61677), { pid: 61677, startToken: 'Wed May 27 14:12:33 2026' });
    assert.equal(await sampler.identify(4242), null);
  });
});

describe('programs started by path', () => {
  test('looked up on the PATH once, so each start is one execve; unknown names are left to the system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paratop-path-'));
    try {
      writeFileSync(join(dir, 'paratop-test-tool'), '#!/bin/sh\n', { mode: 0o755 });
      const path = `${join(dir, 'missing')}${delimiter}${dir}`;
      assert.equal(programPath('paratop-test-tool', path), join(dir, 'paratop-test-tool'));
      assert.equal(programPath('paratop-test-tool', ''), join(dir, 'paratop-test-tool'), 'remembered');
      assert.equal(programPath('paratop-no-such-tool', path), 'paratop-no-such-tool');
      assert.equal(programPath('/bin/ps', path), '/bin/ps');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FallbackSampler elsewhere', () => {
  test("on another BSD no thread view: its ps -M is not macOS's", async () => {
    const bsd = new CapturedMac();
    bsd.platform = 'freebsd';
    const sampler = new FallbackSampler(bsd);
    assert.equal(sampler.hasThreads, false);
    assert.equal(await sampler.sampleThreads(1, true), null);
    assert.deepEqual(bsd.calls, []);
  });
});
