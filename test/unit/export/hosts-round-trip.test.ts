import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFamilies } from '../../../src/export/collector.js';
import { expose } from '../../../src/export/exposition.js';
import { countersFromSeries } from '../../../src/hosts/exporter-readers.js';
import { isWantedMetric } from '../../../src/hosts/metric-names.js';
import { parsePrometheusText } from '../../../src/hosts/prometheus-text.js';
import { kernelSystemSample, processSample } from '../../helpers/samples.js';

const system = kernelSystemSample([
  { user: 150, nice: 1, system: 20, idle: 1000, iowait: 3, irq: 0, softirq: 2, steal: 5 },
]);

/** The two halves of issue 19 agree: what `paratop serve` writes, `--hosts` reads back unchanged. */
test('what serve exports, the hosts reader reads: cores, memory, load, boot time, processes', async () => {
  const processes = [processSample({ pid: 4812, name: 'python3', user: 'student', cpuSeconds: 12.5, rssBytes: 4096 })];
  const figures = { system, processes, systemAgeSeconds: 0, processesAgeSeconds: 0, lab: null, caches: [] };
  const { body } = await expose(buildFamilies(figures, { processes: 50, cmdline: false }), 'prometheus');
  const counters = countersFromSeries(parsePrometheusText(body, isWantedMetric));
  assert.ok(counters);
  assert.deepEqual(counters.cores.get(0), {
    user: 1.5,
    nice: 0.01,
    system: 0.2,
    idle: 10,
    iowait: 0.03,
    irq: 0,
    softirq: 0.02,
    steal: 0.05,
  });
  assert.deepEqual(counters.memory, system.memory, 'the memory meter comes back as this machine counts it');
  assert.deepEqual(counters.loadAverage, system.loadAverage);
  assert.equal(counters.bootTime, 1_799_999_900);
  assert.deepEqual(
    counters.processes?.map(({ key: _key, ...rest }) => rest),
    [{ pid: 4812, name: 'python3', user: 'student', cpuSeconds: 12.5, rssBytes: 4096, threads: 1, members: null }],
  );
});
