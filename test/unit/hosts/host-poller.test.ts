import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostPoller, type HostRound, hostTimeoutMs } from '../../../src/hosts/host-poller.js';
import type { HostSource, PollContext } from '../../../src/hosts/host-source.js';
import type { HostReading } from '../../../src/model/host-sample.js';

function reading(host: string, up: boolean, error: string | null): HostReading {
  return { host, name: host, source: 'scrape', at: Date.now(), up, error, scrapeMs: 1, counters: null, figures: null };
}

const fast: HostSource = { kind: 'scrape', label: 'fast', read: async () => [reading('fast', true, null)] };
/** Answers only when its signal aborts, as a host that never replies does to fetch-text. */
const stuck: HostSource = {
  kind: 'scrape',
  label: 'stuck',
  read: (context: PollContext) =>
    new Promise((resolve) =>
      context.signal.addEventListener('abort', () => resolve([reading('stuck', false, 'stuck is slow\u001b[2J.')])),
    ),
};

test('the timeout is shorter than the interval', () => {
  assert.equal(hostTimeoutMs(1000), 800);
  assert.equal(hostTimeoutMs(2000), 1600);
  assert.equal(hostTimeoutMs(3_600_000), 10_000);
});

test('a stuck host ends the round at the timeout, reported as down; the others are fine', async () => {
  const poller = new HostPoller([stuck, fast], { intervalMs: 1000, timeoutMs: 200 });
  try {
    const started = performance.now();
    const round = await poller.poll();
    assert.ok(performance.now() - started < 700);
    assert.deepEqual(
      round.hosts.map((host) => [host.host, host.up, host.error]),
      [
        ['stuck', false, 'stuck is slow[2J.'],
        ['fast', true, null],
      ],
    );
  } finally {
    await poller.stop();
  }
});

test('start emits a round every interval to each subscriber until stop', async () => {
  const poller = new HostPoller([fast], { intervalMs: 100 });
  const rounds: HostRound[] = [];
  const unsubscribe = poller.subscribe((round) => rounds.push(round));
  poller.start();
  await new Promise((resolve) => setTimeout(resolve, 350));
  unsubscribe();
  const seen = rounds.length;
  await poller.stop();
  assert.ok(seen >= 3 && seen <= 5, `${seen} rounds`);
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(rounds.length, seen, 'nothing after stop');
});

test('a host that was down and comes back is read again, and has rates from its second scrape back', async () => {
  let scrape = 0;
  const answers = [false, true, true];
  const flaky: HostSource = {
    kind: 'scrape',
    label: 'flaky',
    read: async () => {
      const up = answers[scrape] ?? true;
      scrape += 1;
      const times = { user: scrape, nice: 0, system: 0, idle: scrape, iowait: 0, irq: 0, softirq: 0, steal: 0 };
      const counters = {
        cores: new Map([[0, times]]),
        memory: null,
        loadAverage: null,
        bootTime: null,
        processes: null,
      };
      return [{ ...reading('flaky', up, up ? null : 'flaky refused the connection.'), counters: up ? counters : null }];
    },
  };
  const poller = new HostPoller([flaky], { intervalMs: 1000 });
  try {
    const rounds = [await poller.poll(), await poller.poll(), await poller.poll()];
    assert.deepEqual(
      rounds.map((round) => [round.hosts[0]?.up, round.hosts[0]?.cores?.[0]?.total ?? null]),
      [
        [false, null],
        [true, null],
        [true, 50],
      ],
    );
  } finally {
    await poller.stop();
  }
});

test('a source that rejects (a bug) is one host down with a sentence; the round goes on', async () => {
  const broken: HostSource = {
    kind: 'scrape',
    label: 'broken:1',
    read: async () => {
      throw new Error('boom');
    },
  };
  const poller = new HostPoller([broken, fast], { intervalMs: 1000 });
  try {
    const round = await poller.poll();
    assert.deepEqual(
      round.hosts.map((host) => [host.host, host.up, host.error]),
      [
        ['broken:1', false, 'reading broken:1 failed unexpectedly: boom.'],
        ['fast', true, null],
      ],
    );
  } finally {
    await poller.stop();
  }
});
