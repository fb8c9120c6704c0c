import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestSamples } from '../../../src/export/latest-samples.js';
import { FakeSampler } from '../../helpers/fake-sampler.js';

function keeper(
  systemMs = 1000,
  processesMs = 2000,
): { fake: FakeSampler; samples: LatestSamples; at: { now: number } } {
  const fake = new FakeSampler();
  const at = { now: 0 };
  return { fake, samples: new LatestSamples(fake, { systemMs, processesMs }, () => at.now), at };
}

test("a scrape takes the dashboard's latest readings while they are fresh, and reads nothing itself", async () => {
  const { fake, samples, at } = keeper();
  await samples.sampleSystem();
  await samples.sampleProcesses();
  at.now = 900;
  const latest = await samples.latest();
  assert.deepEqual(fake.calls, { system: 1, processes: 1, threads: [], identify: 0 });
  assert.equal(latest.systemAgeSeconds, 0.9);
  assert.equal(latest.processes.length, 2);
});

test('a stale part is read once, the fresh one kept (each by its own window)', async () => {
  const { fake, samples, at } = keeper(1000, 2000);
  await samples.sampleSystem();
  await samples.sampleProcesses();
  at.now = 1500;
  const latest = await samples.latest();
  assert.equal(fake.calls.system, 2, 'the system reading was older than 1 s');
  assert.equal(fake.calls.processes, 1, 'the process list was younger than 2 s');
  assert.equal(latest.systemAgeSeconds, 0);
  assert.equal(latest.processesAgeSeconds, 1.5);
});

test('with no reading yet, scrapes arriving together share one', async () => {
  const { fake, samples } = keeper();
  await Promise.all([samples.latest(), samples.latest(), samples.latest()]);
  assert.equal(fake.calls.system, 1);
  assert.equal(fake.calls.processes, 1);
});

test('a failed reading is not kept: the next scrape tries again', async () => {
  const { fake, samples } = keeper();
  fake.systemFailure = new Error('gone');
  await assert.rejects(samples.latest(), /gone/);
  fake.systemFailure = null;
  await samples.latest();
  assert.equal(fake.calls.system, 2);
});
