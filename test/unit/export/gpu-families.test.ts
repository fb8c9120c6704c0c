import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildFamilies } from '../../../src/export/collector.js';
import { expose } from '../../../src/export/exposition.js';
import { gpuFamilies } from '../../../src/export/gpu-families.js';
import { toProcessRecord, toSampleRecord } from '../../../src/model/sample-record.js';
import { PROCESS_CSV_HEADER, processCsvRow } from '../../../src/cli/output/csv.js';
import { gpuInfoLines, gpuSnapshotLine } from '../../../src/model/gpu-summary.js';
import { NvidiaSmiState } from '../../../src/sampler/linux/nvidia-smi-state.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { kernelSystemSample, processSample } from '../../helpers/samples.js';

function gpusFrom(fixture: string) {
  const state = new NvidiaSmiState(3000);
  for (const line of readFileSync(join(fixturesDir, 'gpu/nvidia-smi', fixture), 'utf8').split('\n'))
    state.gpuLine(line);
  return state.gpuSamples();
}

test('export: dcgm-exporter names, units and labels for each GPU', async () => {
  const families = gpuFamilies(gpusFrom('h100-stream.csv'), 'lab-vm');
  assert.deepEqual(
    families.map((family) => family.name),
    [
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_FB_FREE',
      'DCGM_FI_DEV_GPU_TEMP',
      'DCGM_FI_DEV_POWER_USAGE',
      'DCGM_FI_DEV_SM_CLOCK',
      'DCGM_FI_DEV_MEM_CLOCK',
    ],
  );
  const { body } = await expose(families, 'prometheus');
  assert.match(body, /# TYPE DCGM_FI_DEV_FB_USED gauge/);
  assert.match(body, /# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization \(in %\)\./);
  assert.ok(
    body.includes(
      'DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-00000000-0000-0000-0000-000000000000",pci_bus_id="00000000:00:09.0",' +
        'device="nvidia0",modelName="NVIDIA H100 80GB HBM3",hostname="lab-vm"} 19818',
    ),
    body,
  );
  assert.match(body, /DCGM_FI_DEV_FB_FREE\{[^}]*\} 61741\n/);
  assert.match(body, /DCGM_FI_DEV_POWER_USAGE\{[^}]*\} 631\.95\n/);
});

test('export: no GPU, no family; [N/A] and lost GPUs leave their samples out, never a zero', () => {
  const system = kernelSystemSample([]);
  const names = buildFamilies(
    { system, processes: [], systemAgeSeconds: 0, processesAgeSeconds: 0, lab: null, caches: [] },
    {
      processes: 5,
      cmdline: false,
    },
  ).map((family) => family.name);
  assert.ok(!names.some((name) => name.startsWith('DCGM_')));
  const util = gpuFamilies(gpusFrom('na-fields.csv'), 'h').find((family) => family.name === 'DCGM_FI_DEV_GPU_UTIL');
  assert.deepEqual(
    util?.samples.map((sample) => sample.labels.modelName),
    ['NVIDIA GeForce RTX 2080 SUPER'],
    'the MIG GPU says [N/A]',
  );
  const lost = gpuFamilies(gpusFrom('two-gpus-one-lost.csv'), 'h');
  assert.ok(lost.every((family) => family.samples.every((sample) => sample.labels.gpu === '0')));
});

test('JSON and CSV: gpus[] always present, per-process GPU figures null where unknown', () => {
  const system = kernelSystemSample([]);
  const without = toSampleRecord(system, [processSample({ pid: 7 })], { sampler: 'linux-proc', intervalSeconds: 1 });
  assert.deepEqual(without.gpus, []);
  assert.equal(without.processes[0]?.gpuMemoryBytes, null);
  assert.equal(without.processes[0]?.gpuPercent, null);
  const [gpu] = gpusFrom('h100-stream.csv');
  const record = toProcessRecord(processSample({ pid: 11345, gpuMemoryBytes: 1024, gpuPercent: 75.456 }));
  assert.equal(record.gpuPercent, 75.46);
  const withGpu = toSampleRecord(system, [], { sampler: 'linux-proc', intervalSeconds: 1, gpus: gpu ? [gpu] : [] });
  assert.equal(withGpu.gpus[0]?.name, 'NVIDIA H100 80GB HBM3');
  const header = [...PROCESS_CSV_HEADER];
  const row = processCsvRow('t', record).trim().split(',');
  assert.equal(row[header.indexOf('gpu_percent')], '75.46');
  assert.equal(row[header.indexOf('gpu_memory_bytes')], '1024');
});

test('info: a line per GPU, or one line saying why there is none', () => {
  assert.deepEqual(gpuInfoLines([], 'no GPU: nvidia-smi not on PATH and no /sys/class/drm card', false), [
    ['GPU', 'no GPU: nvidia-smi not on PATH and no /sys/class/drm card'],
  ]);
  assert.match(gpuInfoLines([], 'nvidia-smi (/usr/bin/nvidia-smi)', true)[0]?.[1] ?? '', /gave no figures/);
  const lines = gpuInfoLines(gpusFrom('two-gpus-one-lost.csv'), 'x', true);
  assert.deepEqual(lines[0], ['GPU 0', 'NVIDIA H100 80GB HBM3 · 80G · nvidia-smi']);
  assert.match(lines[1]?.[1] ?? '', /LOST/);
});

test("snapshot's text: a line per GPU with what the source gave, a lost one said so", () => {
  const [first, lost] = gpusFrom('two-gpus-one-lost.csv');
  assert.match(gpuSnapshotLine(first!), /^gpu0 {4}\d+\.\d% busy · \S+ of 80G · \d+°C · \d+W · NVIDIA H100 80GB HBM3$/);
  assert.match(gpuSnapshotLine(lost!), /^gpu1 .*\(LOST: fell off the bus\)$/);
  const unknown = { ...first!, utilPercent: null, memoryUsedBytes: null, temperatureC: null, powerWatts: null };
  assert.equal(gpuSnapshotLine({ ...unknown, name: 'x\x1b[2Jy' }), 'gpu0    -% busy · x[2Jy');
});
