import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFamilies } from '../../../src/export/collector.js';
import { expose } from '../../../src/export/exposition.js';
import type { MetricFamily, ScrapeFigures } from '../../../src/export/metric-family.js';
import { exportedProcesses } from '../../../src/export/paratop-families.js';
import type { RunSnapshot } from '../../../src/model/lab-types.js';
import { kernelSystemSample, processSample } from '../../helpers/samples.js';

const system = kernelSystemSample([
  { user: 150, nice: 1, system: 20, idle: 1000, iowait: 3, irq: 0, softirq: 2, steal: 5 },
  undefined,
  { user: 10, nice: 0, system: 10, idle: 2000, iowait: 0, irq: 0, softirq: 0, steal: 0 },
]);

const lab: RunSnapshot = {
  scenarioId: 'gil-threads',
  title: 'Threads under a GIL-like lock',
  kind: 'threads',
  workers: 2,
  phase: 'running',
  startedAt: 0,
  pids: [900],
  hostName: 'thread-host',
  step: null,
  ctxPerSecond: 40,
  workerStates: [
    { index: 0, pid: 900, tid: 901, name: 'worker-0', units: 30, cpuSeconds: 1.5, cpu: 50, exit: null },
    { index: 1, pid: 900, tid: 902, name: 'worker-1', units: 10, cpuSeconds: null, cpu: null, exit: null },
  ],
  elapsedSeconds: 4,
  units: 40,
  coresUsed: 0.75,
};

function figures(fields: Partial<ScrapeFigures> = {}): ScrapeFigures {
  return {
    system,
    processes: [],
    systemAgeSeconds: 0.2,
    processesAgeSeconds: 1.1,
    lab: null,
    caches: [],
    ...fields,
  };
}

function find(families: MetricFamily[], name: string): MetricFamily {
  const found = families.find((family) => family.name === name);
  assert.ok(found, `no ${name}`);
  return found;
}

test("node_exporter's names: CPU seconds per core and mode from the kernel's ticks", () => {
  const cpu = find(buildFamilies(figures(), { processes: 50, cmdline: false }), 'node_cpu_seconds');
  assert.equal(cpu.type, 'counter');
  assert.equal(cpu.samples.length, 16, 'two cores (the offline one skipped), eight modes');
  assert.deepEqual(cpu.samples[0], { labels: { cpu: '0', mode: 'idle' }, value: 10 });
  assert.deepEqual(
    cpu.samples.find((sample) => sample.labels.cpu === '2' && sample.labels.mode === 'user'),
    { labels: { cpu: '2', mode: 'user' }, value: 0.1 },
  );
});

test("node_exporter's names: memory, load and boot time", () => {
  const families = buildFamilies(figures(), { processes: 50, cmdline: false });
  const value = (name: string): number | undefined => find(families, name).samples[0]?.value;
  assert.equal(value('node_memory_MemTotal_bytes'), 8000);
  assert.equal(value('node_memory_MemFree_bytes'), 5000);
  assert.equal(value('node_memory_MemAvailable_bytes'), 6000);
  assert.equal(value('node_memory_Buffers_bytes'), 300);
  assert.equal(value('node_memory_Cached_bytes'), 1500, 'Cached alone, as node_exporter has it');
  assert.equal(value('node_memory_SReclaimable_bytes'), 200);
  assert.equal(value('node_memory_SwapTotal_bytes'), 4000);
  assert.equal(value('node_memory_SwapFree_bytes'), 3000);
  assert.equal(value('node_load1'), 0.5);
  assert.equal(value('node_load15'), 0.125);
  assert.equal(value('node_boot_time_seconds'), 1_799_999_900);
});

test('without the kernel counters (the fallback) no CPU totals are made up', () => {
  const families = buildFamilies(figures({ system: { ...system, kernel: null } }), { processes: 50, cmdline: false });
  assert.equal(
    families.find((family) => family.name === 'node_cpu_seconds'),
    undefined,
  );
  assert.equal(find(families, 'node_boot_time_seconds').samples[0]?.value, 1_799_999_900);
  assert.equal(
    families.find((family) => family.name === 'node_memory_Cached_bytes'),
    undefined,
  );
});

test('processes: the top N by CPU, every lab worker besides, command lines only when asked', () => {
  const processes = [
    processSample({ pid: 1, cpu: 5, cpuSeconds: 100 }),
    processSample({ pid: 2, cpu: 50, cpuSeconds: 1 }),
    processSample({ pid: 3, cpu: null, cpuSeconds: 500 }),
    processSample({ pid: 900, cpu: 0, cpuSeconds: 0, name: 'thread-host' }),
    processSample({ pid: 4, cpu: 5, cpuSeconds: 200 }),
  ];
  assert.deepEqual(
    exportedProcesses(processes, 2, new Set()).map((process) => process.pid),
    [2, 4],
  );
  const families = buildFamilies(figures({ processes, lab }), { processes: 2, cmdline: false });
  const cpu = find(families, 'paratop_process_cpu_seconds');
  assert.deepEqual(
    cpu.samples.map((sample) => sample.labels.pid),
    ['2', '4', '900'],
  );
  assert.deepEqual(cpu.samples[0]?.labels, { pid: '2', comm: 'p2', user: 'root' });
  assert.equal(find(families, 'paratop_processes').samples[0]?.value, 5);
  const switches = find(families, 'paratop_process_context_switches');
  assert.deepEqual(
    switches.samples.slice(0, 2).map((sample) => sample.labels.kind),
    ['voluntary', 'involuntary'],
  );
  // Scheduling: only where the sampler knew it (the fixtures' processes do not), never a made-up 0.
  assert.equal(find(families, 'paratop_process_wait_seconds').samples.length, 0);
  const waited = [processSample({ pid: 7, cpu: 90, waitSeconds: 2.5, lastCpu: 1 })];
  const scheduled = buildFamilies(figures({ processes: waited }), { processes: 5, cmdline: false });
  assert.deepEqual(find(scheduled, 'paratop_process_wait_seconds').samples[0]?.value, 2.5);
  assert.deepEqual(find(scheduled, 'paratop_process_last_cpu').samples[0]?.value, 1);
  const withCommands = buildFamilies(figures({ processes }), { processes: 1, cmdline: true });
  assert.equal(find(withCommands, 'paratop_process_cpu_seconds').samples[0]?.labels.cmdline, '/bin/p2');
});

test("the lab's run: its experiment, live figures and each worker thread", () => {
  const families = buildFamilies(figures({ lab }), { processes: 50, cmdline: false });
  assert.equal(find(families, 'paratop_lab_running').samples[0]?.value, 1);
  assert.equal(find(families, 'paratop_lab_run_info').samples[0]?.labels.experiment, 'gil-threads');
  assert.equal(find(families, 'paratop_lab_run_cores_used').samples[0]?.value, 0.75);
  assert.equal(find(families, 'paratop_lab_run_units_per_second').samples[0]?.value, 10);
  assert.deepEqual(find(families, 'paratop_lab_thread_cpu_seconds').samples, [
    { labels: { experiment: 'gil-threads', pid: '900', tid: '901', name: 'worker-0' }, value: 1.5 },
  ]);
  assert.equal(find(families, 'paratop_lab_thread_units').samples.length, 2);
  const idle = buildFamilies(figures(), { processes: 50, cmdline: false });
  assert.equal(find(idle, 'paratop_lab_running').samples[0]?.value, 0);
  assert.equal(
    idle.find((family) => family.name === 'paratop_lab_run_info'),
    undefined,
  );
});

test('caches as info knows them, with their source', () => {
  const caches = [
    { name: 'L1d', bytes: 49152, sharedBy: 1, lineBytes: 64, source: 'sysfs' as const },
    { name: 'LLC', bytes: 2 ** 25, sharedBy: null, lineBytes: null, source: 'cpuinfo' as const },
  ];
  const families = buildFamilies(figures({ caches }), { processes: 50, cmdline: false });
  assert.deepEqual(find(families, 'paratop_cache_size_bytes').samples, [
    { labels: { level: 'L1d', source: 'sysfs' }, value: 49152 },
    { labels: { level: 'LLC', source: 'cpuinfo' }, value: 2 ** 25 },
  ]);
  assert.equal(find(families, 'paratop_cache_shared_by_cpus').samples.length, 1);
});

const NASTY = 'a "quoted" \\back\\slash\nnew line \u001b[31mred\u001b[0m';

test('text format: counters end in _total, untrusted label values are escaped', async () => {
  const processes = [processSample({ pid: 7, name: NASTY, user: 'x"y', command: NASTY })];
  const { contentType, body } = await expose(
    buildFamilies(figures({ processes }), { processes: 50, cmdline: true }),
    'prometheus',
  );
  assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(body, /^# TYPE node_cpu_seconds_total counter$/m);
  assert.match(body, /^node_cpu_seconds_total\{cpu="0",mode="idle"\} 10$/m);
  const line = body.split('\n').find((text) => text.startsWith('paratop_process_cpu_seconds_total{'));
  // Backslash, double quote and line feed escaped as the format says; other characters are kept as they are.
  const escaped = 'a \\"quoted\\" \\\\back\\\\slash\\nnew line \u001b[31mred\u001b[0m';
  assert.equal(
    line,
    `paratop_process_cpu_seconds_total{pid="7",comm="${escaped}",user="x\\"y",cmdline="${escaped}"} 0`,
  );
  assert.ok(!body.includes('# EOF'));
});

test('OpenMetrics: counter families named without _total, samples with it, and # EOF at the end', async () => {
  const { contentType, body } = await expose(
    buildFamilies(figures({ lab }), { processes: 50, cmdline: false }),
    'openmetrics',
  );
  assert.equal(contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  assert.match(body, /^# TYPE node_cpu_seconds counter$/m);
  assert.match(body, /^node_cpu_seconds_total\{cpu="0",mode="idle"\} 10$/m);
  assert.match(body, /^paratop_lab_run_units_total\{experiment="gil-threads"\} 40$/m);
  assert.ok(body.endsWith('\n# EOF\n'));
});
