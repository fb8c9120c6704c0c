import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { planRestart } from '../../../src/model/restart-backoff.js';
import { detectGpus, createGpuSource, NO_GPU_NOTE } from '../../../src/sampler/create-gpu-source.js';
import { DrmGpuSource } from '../../../src/sampler/linux/drm-gpu-source.js';
import { NvidiaSmiState } from '../../../src/sampler/linux/nvidia-smi-state.js';
import {
  cardBusyFromClients,
  distinctClients,
  parseDrmFdinfo,
  engineShares,
  processGpuPercent,
  totalMemoryBytes,
} from '../../../src/sampler/linux/parse-drm-fdinfo.js';
import {
  nvidiaSmiArgs,
  parseAppLine,
  parseGpuLine,
  parseLostGpu,
  samePciAddress,
} from '../../../src/sampler/linux/parse-nvidia-smi.js';
import {
  CLASSIC_PMON_COLUMNS,
  nvidiaSmiPmonArgs,
  parsePmonHeader,
  parsePmonRow,
} from '../../../src/sampler/linux/parse-nvidia-smi-pmon.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const gpuFixture = (path: string): string => readFileSync(join(fixturesDir, 'gpu', path), 'utf8');
const lines = (path: string): string[] => gpuFixture(path).split('\n').filter(Boolean);
const MIB = 1024 * 1024;

test('nvidia-smi: the looping queries ask for CSV without header or units, one child per query', () => {
  const gpu = nvidiaSmiArgs('gpu', 1000);
  assert.ok(gpu[0]?.startsWith('--query-gpu=timestamp,index,uuid,name,pci.bus_id,utilization.gpu,'));
  assert.deepEqual(gpu.slice(1), ['--format=csv,noheader,nounits', '-lms', '1000']);
  assert.deepEqual(nvidiaSmiArgs('apps', null), [
    '--query-compute-apps=timestamp,gpu_uuid,pid,used_memory',
    '--format=csv,noheader,nounits',
  ]);
});

test('nvidia-smi: an H100 under load, every figure in its unit', () => {
  const parsed = parseGpuLine(lines('nvidia-smi/h100-stream.csv')[2] ?? '');
  assert.ok(parsed);
  assert.equal(parsed.timestamp, '2026/07/14 08:12:40.698');
  assert.deepEqual(parsed.gpu, {
    index: 0,
    id: 'GPU-00000000-0000-0000-0000-000000000000',
    name: 'NVIDIA H100 80GB HBM3',
    vendor: 'nvidia',
    source: 'nvidia-smi',
    pciBusId: '00000000:00:09.0',
    utilPercent: 100,
    memoryUsedBytes: 19818 * MIB,
    memoryTotalBytes: 81559 * MIB,
    temperatureC: 59,
    powerWatts: 631.95,
    smClockMHz: 1980,
    memoryClockMHz: 2619,
    lost: false,
  });
});

test('nvidia-smi: [N/A] and [Not Supported] are unknown, never zero', () => {
  const [mig, geforce] = lines('nvidia-smi/na-fields.csv').map(parseGpuLine);
  assert.equal(mig?.gpu.utilPercent, null);
  assert.equal(mig?.gpu.memoryUsedBytes, 59 * MIB);
  assert.equal(geforce?.gpu.temperatureC, null);
  assert.equal(geforce?.gpu.powerWatts, null);
  assert.equal(geforce?.gpu.smClockMHz, 765);
});

test('nvidia-smi: error texts and blank lines are not GPUs', () => {
  assert.equal(parseGpuLine(''), null);
  assert.equal(parseGpuLine('Failed to initialize NVML: Driver/library version mismatch'), null);
  assert.equal(parseGpuLine('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'), null);
  assert.equal(parseAppLine('No running processes found'), null);
});

test('nvidia-smi: the lost-GPU line gives its PCI address, with or without the space', () => {
  const line = lines('nvidia-smi/two-gpus-one-lost.csv')[3] ?? '';
  assert.equal(parseLostGpu(line), '0000:00:0A.0');
  assert.equal(
    parseLostGpu('Unable to determine the device handle for GPU 0000:03:00.0: GPU is lost.  Reboot the system'),
    '0000:03:00.0',
  );
  assert.equal(parseLostGpu('Unable to determine the device handle for GPU0000:0B:00.0: Unknown Error'), null);
  assert.ok(samePciAddress('0000:00:0A.0', '00000000:00:0a.0'));
  assert.ok(!samePciAddress('0000:00:0A.0', '00000000:00:09.0'));
});

test('nvidia-smi stream: a GPU that falls off the bus mid-stream is kept, marked lost', () => {
  const state = new NvidiaSmiState(3000);
  assert.equal(state.ready, false);
  for (const line of lines('nvidia-smi/two-gpus-one-lost.csv')) state.gpuLine(line);
  assert.equal(state.ready, true);
  const gpus = state.gpuSamples();
  assert.deepEqual(
    gpus.map((gpu) => [gpu.index, gpu.lost, gpu.utilPercent]),
    [
      [0, false, 100],
      [1, true, null],
    ],
  );
  // Its last memory reading stays, for the record; only the utilisation is no longer claimed.
  assert.equal(gpus[1]?.memoryUsedBytes, 19818 * MIB);
});

test('nvidia-smi stream: a GPU not heard from for the expiry shows no figures, not its last ones', () => {
  const state = new NvidiaSmiState(3000);
  const [first] = lines('nvidia-smi/h100-stream.csv');
  state.gpuLine(first ?? '', 10_000);
  assert.notEqual(state.gpuSamples(12_000)[0]?.utilPercent, null);
  const silent = state.gpuSamples(13_001)[0];
  assert.equal(silent?.utilPercent, null);
  assert.equal(silent?.memoryUsedBytes, null);
  assert.equal(silent?.temperatureC, null);
  assert.equal(silent?.name, 'NVIDIA H100 80GB HBM3', 'what it is stays');
  assert.notEqual(silent?.memoryTotalBytes, null);
  state.gpuLine(first ?? '', 13_500);
  assert.notEqual(state.gpuSamples(13_600)[0]?.utilPercent, null, 'a new line brings the figures back');
});

test('nvidia-smi stream: a GPU lost before its first line shows by its address', () => {
  const state = new NvidiaSmiState(3000);
  state.gpuLine(
    'Unable to determine the device handle for GPU0000:3B:00.0: GPU is lost.  Reboot the system to recover',
  );
  const [gpu] = state.gpuSamples();
  assert.equal(gpu?.lost, true);
  assert.equal(gpu?.name, 'GPU 0000:3B:00.0');
});

test('nvidia-smi apps: each loop replaces the last; an exited process drops out; several GPUs add up', () => {
  const state = new NvidiaSmiState(3000);
  const [a, b, c, ...second] = lines('nvidia-smi/apps-stream.csv');
  for (const line of [a, b, c]) state.appLine(line ?? '', 1000);
  assert.deepEqual([...state.processUse(1000).keys()], [11327, 11328, 11345]);
  for (const line of second) state.appLine(line, 2000);
  const use = state.processUse(2000);
  assert.deepEqual([...use.keys()], [11327, 11345, 11400]);
  assert.equal(use.get(11345)?.gpuMemoryBytes, (15690 + 1024) * MIB);
  assert.deepEqual(use.get(11400), { gpuMemoryBytes: null, gpuPercent: null });
  // The same line again with the same stamp (a repeated loop) is the same memory, not twice it.
  for (const line of second) state.appLine(line, 2500);
  assert.equal(state.processUse(2500).get(11345)?.gpuMemoryBytes, (15690 + 1024) * MIB);
  // A loop with no compute process prints nothing: the list expires.
  assert.equal(state.processUse(2500 + 3001).size, 0);
});

test('nvidia-smi pmon: columns from either header, a row per process per GPU, - as no kernel ran', () => {
  assert.deepEqual(nvidiaSmiPmonArgs(1000), ['pmon', '-s', 'u', '-d', '1']);
  assert.deepEqual(nvidiaSmiPmonArgs(200), ['pmon', '-s', 'u', '-d', '1'], 'whole seconds, at least one');
  assert.deepEqual(nvidiaSmiPmonArgs(60_000), ['pmon', '-s', 'u', '-d', '10'], 'at most ten');
  const text = gpuFixture('nvidia-smi/pmon-stream.txt').split('\n');
  assert.deepEqual(parsePmonHeader(text[0] ?? ''), { gpu: 0, pid: 1, sm: 3 });
  assert.equal(parsePmonHeader(text[1] ?? ''), null, 'the units line names no column');
  assert.deepEqual(parsePmonHeader('#Time gpu pid type sm mem command'), { gpu: 1, pid: 2, sm: 4 });
  assert.deepEqual(parsePmonRow(text[4] ?? '', CLASSIC_PMON_COLUMNS), { gpuIndex: 0, pid: 11345, smPercent: 98 });
  assert.deepEqual(parsePmonRow(text[2] ?? '', CLASSIC_PMON_COLUMNS), { gpuIndex: 0, pid: 11327, smPercent: 0 });
  assert.equal(parsePmonRow(text[5] ?? '', CLASSIC_PMON_COLUMNS), null, 'a GPU with no process');
  assert.equal(parsePmonRow('    0   12  C  lots  1  -  -  x', CLASSIC_PMON_COLUMNS), null);
  assert.equal(parsePmonRow('Failed to initialize NVML: Driver/library version mismatch', CLASSIC_PMON_COLUMNS), null);
});

test('nvidia-smi pmon with the apps query: GPU% summed over GPUs beside the memory; silent rows expire', () => {
  const state = new NvidiaSmiState(3000, 3000);
  for (const line of lines('nvidia-smi/apps-stream.csv').slice(3)) state.appLine(line, 1000);
  const [first = '', second = '', third = ''] = gpuFixture('nvidia-smi/pmon-stream.txt').split(/\n\s*\n/);
  for (const line of first.split('\n')) state.pmonLine(line, 0);
  for (const line of second.split('\n')) state.pmonLine(line, 1000);
  const use = state.processUse(1000);
  assert.deepEqual(use.get(11345), { gpuMemoryBytes: (15690 + 1024) * MIB, gpuPercent: 97 + 12 });
  assert.deepEqual(use.get(11327), { gpuMemoryBytes: 2566 * MIB, gpuPercent: 0 });
  // A graphics process pmon lists but the compute query does not: its share, no memory.
  assert.deepEqual(use.get(11400), { gpuMemoryBytes: null, gpuPercent: 0 });
  // 11328 was last listed at 0 s: gone once three loops have passed without it.
  assert.equal(state.processUse(3001).has(11328), false);
  for (const line of third.split('\n')) state.pmonLine(line, 4500);
  assert.equal(state.processUse(4500).get(11345)?.gpuPercent, 96 + 14, 'the older header read as well');
});

test('DRM fdinfo: amdgpu, its engines in ns and its memory regions in KiB', () => {
  const client = parseDrmFdinfo(gpuFixture('fdinfo/amdgpu.txt'));
  assert.ok(client);
  assert.equal(client.driver, 'amdgpu');
  assert.equal(client.pdev, '0000:03:00.0');
  assert.equal(client.clientId, '41');
  assert.deepEqual(
    [...client.engineNs],
    [
      ['gfx', 1_500_000_000],
      ['compute', 250_000_000],
    ],
  );
  assert.equal(client.memoryBytes, (524288 + 12288) * 1024);
});

test('DRM fdinfo: i915, resident memory per region, engine capacity', () => {
  const client = parseDrmFdinfo(gpuFixture('fdinfo/i915.txt'));
  assert.ok(client);
  assert.equal(client.driver, 'i915');
  assert.equal(client.engineNs.get('render'), 25_662_044_495);
  assert.equal(client.engineNs.get('video-enhance'), 0);
  assert.equal(client.capacity.get('video'), 2);
  // drm-total-* is not counted: resident is what the process holds.
  assert.equal(client.memoryBytes, 3520 * 1024);
});

test('DRM fdinfo: a region printed under both names counts once; other fds are not clients', () => {
  const both = parseDrmFdinfo(
    'drm-driver:\tamdgpu\ndrm-client-id:\t9\ndrm-memory-vram:\t8 KiB\ndrm-resident-vram:\t8 KiB\n',
  );
  assert.equal(both?.memoryBytes, 8192);
  assert.equal(parseDrmFdinfo(gpuFixture('fdinfo/eventfd.txt')), null);
  const dup = parseDrmFdinfo(gpuFixture('fdinfo/amdgpu.txt'));
  const clients = distinctClients([dup, dup, parseDrmFdinfo(gpuFixture('fdinfo/i915.txt'))]);
  assert.equal(clients.length, 2);
  assert.equal(totalMemoryBytes([]), null);
});

test('DRM: a card busy share from its clients, each its own delta, the busiest engine class over its capacity', () => {
  const client = (render: number, video: number) => ({
    pdev: '0000:00:02.0',
    engineNs: new Map([
      ['render', render],
      ['video', video],
    ]),
    engineCycles: new Map(),
    capacity: new Map([['video', 2]]),
  });
  const before = new Map([
    ['10/0000:00:02.0/1', client(0, 0)],
    ['11/0000:00:02.0/2', client(5_000_000_000, 0)],
  ]);
  const after = new Map([
    ['10/0000:00:02.0/1', client(250_000_000, 1_000_000_000)],
    ['12/0000:00:02.0/3', client(9_000_000_000, 0)],
  ]);
  // Client 2 closed (its big counter gone) and client 3 opened: neither moves the share.
  assert.equal(cardBusyFromClients(before, after, 1000).get('0000:00:02.0'), 50);
  assert.equal(cardBusyFromClients(new Map(), after, 1000).get('0000:00:02.0'), null, 'no reading before');
  assert.equal(cardBusyFromClients(after, new Map(), 1000).size, 0, 'no clients: no figure, not the last one');
});

test('DRM fdinfo: xe, busy cycles paired with the engine’s own cycles, capacities, memory regions', () => {
  const client = parseDrmFdinfo(gpuFixture('fdinfo/xe.txt'));
  assert.ok(client);
  assert.equal(client.driver, 'xe');
  assert.equal(client.engineNs.size, 0);
  assert.deepEqual(client.engineCycles.get('rcs'), { busy: 28_257_900, total: 7_655_183_225 });
  assert.equal(client.engineCycles.size, 5);
  assert.equal(client.capacity.get('ccs'), 4);
  assert.equal(client.memoryBytes, (192 + 23992) * 1024);
  const unpaired = parseDrmFdinfo('drm-driver:\txe\ndrm-client-id:\t4\ndrm-cycles-rcs:\t5\n');
  assert.equal(unpaired?.engineCycles.size, 0, 'busy cycles without the total say nothing');
});

test('DRM: engine shares from ns over the wall time, from xe cycles over the engine’s own cycles', () => {
  const reading = (ns: number, busy: number, total: number) => ({
    pdev: '0000:03:00.0',
    engineNs: new Map([['gfx', ns]]),
    engineCycles: new Map([['ccs', { busy, total }]]),
    capacity: new Map([['ccs', 4]]),
  });
  const before = reading(1_000_000_000, 1000, 10_000);
  const after = reading(1_250_000_000, 4000, 20_000);
  assert.deepEqual(
    [...engineShares(before, after, 1000)],
    [
      ['gfx', 0.25],
      ['ccs', 0.3],
    ],
  );
  // A counter that steps back reads as no progress; a total that did not move says nothing.
  assert.deepEqual([...engineShares(after, before, 1000)], [['gfx', 0]]);
  const clients = (client: ReturnType<typeof reading>) => new Map([['7/0000:03:00.0/3', client]]);
  assert.ok(Math.abs((processGpuPercent(clients(before), clients(after), 1000) ?? 0) - 55) < 1e-9);
  assert.equal(processGpuPercent(new Map(), clients(after), 1000), null, 'no reading before');
  // The card: the busiest engine class over its capacity (ccs: 0.3 of 4 engines; gfx 0.25 of 1).
  assert.equal(cardBusyFromClients(clients(before), clients(after), 1000).get('0000:03:00.0'), 25);
  // xe counts a class's engines against one clock: four busy ccs engines are 4, the card 100%.
  const allBusy = reading(1_250_000_000, 41_000, 20_000);
  assert.equal(engineShares(before, allBusy, 1000).get('ccs'), 4);
  assert.equal(cardBusyFromClients(clients(before), clients(allBusy), 1000).get('0000:03:00.0'), 100);
  assert.ok(Math.abs((processGpuPercent(clients(before), clients(allBusy), 1000) ?? 0) - 425) < 1e-9);
});

test('DRM source: cards from sysfs, a VM display adapter skipped, render nodes seen', async () => {
  const detection = detectGpus({ PATH: '' }, join(fixturesDir, 'gpu/sys'));
  assert.deepEqual(detection, {
    nvidiaSmi: null,
    cards: [
      { card: 'card0', vendorId: '0x1002' },
      { card: 'card1', vendorId: '0x8086' },
    ],
    renderNodes: true,
  });
  const source = await createGpuSource(detection, { loopMs: 1000, sysRoot: join(fixturesDir, 'gpu/sys') });
  assert.equal(source.kind, 'drm');
  const [amd, intel] = source.sampleGpus();
  assert.deepEqual(amd, {
    index: 0,
    id: '0000:03:00.0',
    name: 'AMD GPU 0x73bf (amdgpu)',
    vendor: 'amd',
    source: 'drm',
    pciBusId: '0000:03:00.0',
    lost: false,
    utilPercent: 37,
    memoryUsedBytes: 536870912,
    memoryTotalBytes: 17163091968,
    temperatureC: 52,
    powerWatts: 187,
    smClockMHz: 2250,
    memoryClockMHz: 1000,
  });
  assert.equal(intel?.name, 'Intel GPU 0x9a49 (i915)');
  assert.equal(intel?.utilPercent, null);
  assert.equal(intel?.memoryTotalBytes, null);
});

test('DRM source: per-process GPU% and memory from fdinfo over two readings; idle processes skipped', () => {
  const root = mkdtempSync(join(tmpdir(), 'paratop-drm-'));
  try {
    const proc = join(root, 'proc');
    symlinkSync(join(fixturesDir, 'gpu/proc-t0'), proc);
    let now = 0;
    const source = new DrmGpuSource({
      cards: ['card0', 'card1'],
      renderNodes: true,
      sysRoot: join(fixturesDir, 'gpu/sys'),
      procRoot: proc,
      now: () => now,
    });
    const first = source.sampleProcessUse([4242, 4243]);
    assert.deepEqual([...first.keys()], [4242]);
    assert.equal(first.get(4242)?.gpuPercent, null);
    assert.equal(first.get(4242)?.gpuMemoryBytes, (524288 + 12288 + 3520) * 1024);
    rmSync(proc);
    symlinkSync(join(fixturesDir, 'gpu/proc-t1'), proc);
    now = 1000;
    const second = source.sampleProcessUse([4242, 4243]);
    // gfx +500 ms and render +250 ms in one second: 75% (the duplicated fd counted once).
    assert.equal(second.get(4242)?.gpuPercent, 75);
    // The Intel card has no gpu_busy_percent: its busy share comes from its clients (render: 25%).
    assert.equal(source.sampleGpus()[1]?.utilPercent, 25);
    assert.equal(source.sampleGpus()[0]?.utilPercent, 37);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('no GPU: nothing to start, one line why', async () => {
  const detection = detectGpus({ PATH: '/nonexistent' }, '/nonexistent-sys');
  assert.deepEqual(detection, { nvidiaSmi: null, cards: [], renderNodes: false });
  const source = await createGpuSource(detection, { loopMs: 1000 });
  assert.equal(source.kind, 'none');
  assert.equal(source.note, NO_GPU_NOTE);
  assert.deepEqual(source.sampleGpus(), []);
  assert.equal(source.sampleProcessUse([1]).size, 0);
  assert.deepEqual(detectGpus({ PATH: join(fixturesDir, 'gpu'), PARATOP_GPU: 'off' }, join(fixturesDir, 'gpu/sys')), {
    nvidiaSmi: null,
    cards: [],
    renderNodes: false,
  });
});

test('restarts: no sooner than the gap after the last start, doubling while it dies young', () => {
  const policy = { minGapMs: 5000, maxGapMs: 60_000, healthyMs: 30_000 };
  assert.deepEqual(planRestart(0, 100, 0, policy), { delayMs: 4900, youngDeaths: 1 });
  assert.deepEqual(planRestart(0, 100, 1, policy), { delayMs: 9900, youngDeaths: 2 });
  assert.deepEqual(planRestart(0, 100, 9, policy), { delayMs: 59_900, youngDeaths: 10 });
  assert.deepEqual(planRestart(0, 40_000, 5, policy), { delayMs: 0, youngDeaths: 0 });
});
