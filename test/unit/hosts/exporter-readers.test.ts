import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { countersFromSeries } from '../../../src/hosts/exporter-readers.js';
import { isWantedMetric } from '../../../src/hosts/metric-names.js';
import { parsePrometheusText } from '../../../src/hosts/prometheus-text.js';
import { readingFromBody } from '../../../src/hosts/scrape-source.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const fixture = (name: string): string => readFileSync(join(fixturesDir, 'hosts', name), 'utf8');
const countersOf = (body: string) => countersFromSeries(parsePrometheusText(body, isWantedMetric));
const target = { host: 'node1:9100', name: 'node1', url: 'http://node1:9100/metrics' };

test('node_exporter: CPU seconds per core and mode, memory as the local sampler counts it, load, boot time', () => {
  const counters = countersOf(fixture('node-exporter-real.prom'));
  assert.ok(counters);
  assert.equal(counters.cores.size, 2);
  assert.deepEqual(counters.cores.get(0), {
    user: 2419.98,
    nice: 0,
    system: 282.43,
    idle: 6305.32,
    iowait: 6.43,
    irq: 0,
    softirq: 2.08,
    steal: 0.85,
  });
  assert.equal(counters.memory?.totalBytes, 25276182528);
  assert.equal(counters.memory?.availableBytes, 24663072768);
  assert.equal(counters.memory?.cachedBytes, 1305190400 + 147681280, 'Cached + SReclaimable');
  assert.equal(counters.memory?.usedBytes, 25276182528 - 23500623872 - 16822272 - (1305190400 + 147681280));
  assert.deepEqual(counters.loadAverage, [0.87, 0.94, 1.04]);
  assert.equal(counters.bootTime, 1796531312);
  assert.equal(counters.processes, null, 'node_exporter has no processes');
});

test('process-exporter: groups become processes, CPU modes summed, resident memory', () => {
  const counters = countersOf(fixture('process-exporter.prom'));
  assert.deepEqual(
    counters?.processes?.map(({ key: _key, ...rest }) => rest),
    [
      { pid: null, name: 'python3', user: null, cpuSeconds: 41.75, rssBytes: 1.2e8, threads: 11, members: 4 },
      { pid: null, name: 'sshd', user: null, cpuSeconds: 0.75, rssBytes: 8.5e6, threads: 2, members: 2 },
    ],
  );
  assert.equal(counters?.cores.size, 0);
});

test("paratop's own /metrics: one process per PID, with comm and user", () => {
  const counters = countersOf(fixture('paratop-metrics.prom'));
  assert.deepEqual(
    counters?.processes?.map(({ key: _key, ...rest }) => rest),
    [
      { pid: 4812, name: 'python3', user: 'student', cpuSeconds: 12.5, rssBytes: 45088768, threads: 7, members: null },
      { pid: 1, name: 'systemd', user: 'root', cpuSeconds: 3.25, rssBytes: 9437184, threads: 1, members: null },
    ],
  );
  assert.deepEqual(counters?.loadAverage, [0.14, 0.2, 0.12]);
});

test('hostile label values are made inert: no escapes, no bidi overrides, bounded length', () => {
  const body =
    'paratop_process_cpu_seconds_total{pid="8",comm="\u001b]0;pwned\u0007\u202etxt.exe",' +
    `user="${'u'.repeat(5000)}"} 1\n` +
    'namedprocess_namegroup_cpu_seconds_total{groupname="\u001b[2Jclear",mode="user"} 1\n' +
    'node_cpu_seconds_total{cpu="../../etc",mode="user"} 1\nnode_cpu_seconds_total{cpu="0",mode="bogus"} 1\n';
  const counters = countersOf(body);
  const names = counters?.processes?.map((process) => process.name) ?? [];
  assert.deepEqual(names, [']0;pwnedtxt.exe', '[2Jclear']);
  assert.ok((counters?.processes?.[0]?.user?.length ?? 0) <= 200);
  assert.equal(counters?.cores.size, 0, 'a cpu label that is not a number, or an unknown mode, is dropped');
});

test('a body with none of the series read says so; a malformed one is down with the line', () => {
  const none = readingFromBody(target, '# nothing here\nsomething_else 1\n', 0, 1);
  assert.equal(none.up, true);
  assert.match(none.error ?? '', /node1:9100 answered, but with none of the series paratop reads/);
  const bad = readingFromBody(target, 'node_load1 1\n<html><body>oops</body></html>\n', 0, 1);
  assert.equal(bad.up, false);
  assert.equal(bad.error, 'node1:9100 sent metrics paratop cannot read: line 2 does not start with a metric name.');
});
