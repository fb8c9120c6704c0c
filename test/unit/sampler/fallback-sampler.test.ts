import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type si from 'systeminformation';
import { FallbackSampler } from '../../../src/sampler/fallback/fallback-sampler.js';
import type { CpuTimeReading, SystemInfoSource } from '../../../src/sampler/fallback/system-info-source.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { assertClose } from '../../helpers/assert-close.js';

const captured = <T>(name: string): T =>
  JSON.parse(readFileSync(join(fixturesDir, 'systeminformation', `${name}.json`), 'utf8')) as T;

/** Answers as systeminformation and pidusage gave them on a real machine, one capture per call. */
function capturedSource(): SystemInfoSource {
  const loads = [
    captured<si.Systeminformation.CurrentLoadData>('current-load-0'),
    captured<si.Systeminformation.CurrentLoadData>('current-load-1'),
  ];
  const usages = [
    captured<Record<string, CpuTimeReading & { pid: number }>>('pidusage-0'),
    captured<Record<string, CpuTimeReading & { pid: number }>>('pidusage-1'),
  ];
  return {
    currentLoad: async () => loads.shift() ?? assert.fail('asked for load too often'),
    mem: async () => captured('mem'),
    processes: async () => captured('processes'),
    cpuTimes: async (pids) => {
      const usage = usages.shift() ?? assert.fail('asked for CPU times too often');
      return new Map(pids.flatMap((pid) => (usage[pid] ? [[pid, usage[pid]] as const] : [])));
    },
    loadAverage: () => [0.5, 0.25, 0.125],
    uptimeSeconds: () => 466,
  };
}

describe('FallbackSampler against captured systeminformation answers', () => {
  test('system: no per-core figures on the first call, then per-core percentages', async () => {
    const sampler = new FallbackSampler(capturedSource());
    const first = await sampler.sampleSystem();
    assert.equal(first.cores, null);
    assert.equal(first.cpu, null);
    const second = await sampler.sampleSystem();
    assert.equal(second.cores?.length, 2);
    assertClose(second.cores?.[1]?.total, 60);
    assertClose(second.cores?.[1]?.idle, 40);
    assert.equal(second.memory.totalBytes, 25276510208);
    assert.deepEqual(second.loadAverage, [0.5, 0.25, 0.125]);
  });

  test('processes: CPU% from CPU-time deltas, null on the first sample, no threads', async () => {
    const sampler = new FallbackSampler(capturedSource());
    const first = await sampler.sampleProcesses();
    assert.ok(first.every((process) => process.cpu === null));
    const processes = await sampler.sampleProcesses();
    const busy = processes.find((process) => process.pid === 3381);
    assert.ok(busy);
    assertClose(busy.cpu, ((810 - 190) / 1011) * 100);
    assert.equal(busy.command, 'node capture-si.mjs');
    assert.equal(busy.state, 'S');
    assert.equal(busy.threads, null);
    assert.equal(busy.ctxPerSecond, null);
    assert.equal(processes.find((process) => process.pid === 4)?.state, '?');
    assert.equal(await sampler.sampleThreads(), null);
    assert.deepEqual(await sampler.identify(3381), { pid: 3381, startToken: '2026-11-25 01:44:39' });
    assert.equal(await sampler.identify(999999), null);
  });
});

describe('FallbackSampler on this machine (real systeminformation and pidusage)', () => {
  test('sees this test process', async () => {
    const sampler = new FallbackSampler();
    await sampler.sampleSystem();
    const system = await sampler.sampleSystem();
    assert.ok(system.memory.totalBytes > 0);
    const processes = await sampler.sampleProcesses();
    const self = processes.find((entry) => entry.pid === process.pid);
    assert.ok(self, 'this process is listed');
    assert.ok(self.rssBytes > 0);
  });
});
