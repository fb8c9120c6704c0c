import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawBar, sparkline } from '../../../src/view/bar.js';
import { coreMeterLines } from '../../../src/view/core-meters.js';
import { planCoreGrid } from '../../../src/model/core-grid.js';
import { dashboardLayout } from '../../../src/model/screen-layout.js';
import { columnSpans } from '../../../src/model/columns.js';
import { processBodyLines } from '../../../src/view/process-table.js';
import { cell, displayWidth, fitToWidth } from '../../../src/view/text-fit.js';
import { createTheme } from '../../../src/view/theme.js';
import { machineFacts, processSample } from '../../helpers/samples.js';

const plain = createTheme(false);
const coloured = createTheme(true);
/** What blessed would draw: style tags dropped, escaped braces back to braces. */
const stripTags = (text: string): string =>
  text.replace(/\{(\/?[a-z-]+)\}/g, (_tag, name: string) => (name === 'open' ? '{' : name === 'close' ? '}' : ''));

test('a bar is exactly its width, the caption over its right end', () => {
  const bar = stripTags(drawBar([{ percent: 50, role: 'user' }], '50.0%', 20, plain));
  assert.equal(bar, '||||||||||     50.0%');
  assert.match(drawBar([{ percent: 50, role: 'user' }], '50.0%', 20, coloured), /^\{green-fg\}\|{10}\{\/green-fg\}/);
});

test('sparkline: newest on the right, idle still visible', () => {
  assert.equal(sparkline([0, 50, 100], 5), '  ▁▄█');
  assert.equal(sparkline([10, 20, 30, 40], 2), '▂▃');
});

test('core meters before the second reading are empty, not 0% or 100%', () => {
  const grid = planCoreGrid(2, 45, 5);
  const lines = coreMeterLines([0, 1], null, [], grid, plain);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((line) => line.includes('…') && !line.includes('%')));
});

test('untrusted names: blessed tags escaped, controls stripped, clipped to the column', () => {
  const hostile = processSample({ pid: 42, command: `{red-fg}x{/red-fg} \x1b]0;pwned\x07 ${'y'.repeat(200)}` });
  const [line] = processBodyLines([{ process: hostile, treePrefix: '' }], null, 0, 5, 100, plain);
  assert.ok(line);
  assert.ok(line.includes('{open}red-fg{close}x{open}/red-fg{close}'), line);
  assert.ok(!line.includes('\x1b') && !line.includes('\x07'));
  assert.equal(displayWidth(stripTags(line)), 100);
});

test('wide characters are clipped by display width, never split', () => {
  assert.equal(fitToWidth('中文字', 5), '中文 ');
  assert.equal(displayWidth(fitToWidth('中文字', 5)), 5);
  assert.equal(cell('{x}', 5), '{open}x{close}  ');
});

test('columns: COMMAND takes the rest of the line', () => {
  const spans = columnSpans(100);
  assert.equal(spans[0]?.key, 'pid');
  assert.equal(spans.at(-1)?.key, 'command');
  assert.equal(spans.at(-1)?.end, 100);
});

test('128 cores in 80x24: a heat strip with one cell per core, each row labelled with its first core', () => {
  const layout = dashboardLayout(80, 24, 128);
  const ids = Array.from({ length: 128 }, (_, id) => id);
  const cores = ids.map((id) => ({
    id,
    user: id % 100,
    system: 0,
    iowait: 0,
    steal: 0,
    idle: 100 - (id % 100),
    total: id % 100,
  }));
  const lines = coreMeterLines(ids, cores, [], layout.coreGrid, plain).map(stripTags);
  assert.ok(lines.length <= layout.cores.height);
  const cells = lines.map((line) => line.trim().split(' ')[1] ?? '');
  assert.equal(cells.join('').length, 128);
  assert.ok(
    lines.every((line) => displayWidth(line) <= layout.cores.width),
    lines.join('\n'),
  );
  assert.match(lines[1] ?? '', new RegExp(`^\\s*${Array.from(cells[0] ?? '').length} `));
});

test('machine line: every fact fits 80 columns, in shorter words; 160 columns get the long form', async () => {
  const { factsLine } = await import('../../../src/view/header.js');
  const { startState } = await import('../../helpers/dashboard-events.js');
  const facts = {
    hostname: 'vm',
    os: 'Debian GNU/Linux 12',
    kernel: '6.1',
    arch: 'x64',
    cpuModel: 'AMD EPYC',
    physicalCores: 2,
    logicalCores: 4,
    caches: [
      { name: 'L1d', bytes: 49152, sharedBy: 1, lineBytes: 64, source: 'sysfs' as const },
      { name: 'L1i', bytes: 32768, sharedBy: 1, lineBytes: 64, source: 'sysfs' as const },
      { name: 'L2', bytes: 1048576, sharedBy: 1, lineBytes: 64, source: 'sysfs' as const },
      { name: 'L3', bytes: 33554432, sharedBy: 2, lineBytes: 64, source: 'sysfs' as const },
    ],
    memoryBytes: 24 * 1024 ** 3,
    swapBytes: 0,
  };
  const state = { ...startState(), facts };
  const narrow = stripTags(factsLine(state, 80, plain)).trimEnd();
  assert.equal(narrow, 'AMD EPYC · 2C/4T · 24G RAM · L1d 48K L1i 32K L2 1.0M L3 32M · Debian 12');
  const wide = stripTags(factsLine(state, 160, plain)).trimEnd();
  assert.match(wide, /2 physical cores, 4 logical \(hyper-threads\) · 24G RAM · L1d 48K\/core .* L3 32M shared by 2/);
  assert.match(wide, / · Debian GNU\/Linux 12$/);

  // A VM whose OS reports no cache: the line says so, and still fits.
  const bare = stripTags(factsLine({ ...state, facts: { ...facts, caches: [] } }, 80, plain)).trimEnd();
  assert.equal(bare, 'AMD EPYC · 2C/4T · 24G RAM · caches not reported · Debian 12');
  // Sizes paratop measured itself are marked as estimates.
  const measured = {
    ...facts,
    caches: [{ name: 'L1d', bytes: 32768, sharedBy: null, lineBytes: null, source: 'measured' as const }],
  };
  assert.match(stripTags(factsLine({ ...state, facts: measured }, 80, plain)), /L1d ~32K/);
});

test('info: each cache with where it came from; none reported says so and how to measure', async () => {
  const { machineSummaryLines } = await import('../../../src/model/machine-summary.js');
  const base = machineFacts();
  const caches = (facts: typeof base): string => new Map(machineSummaryLines(facts)).get('Caches') ?? '';
  const cpuid = [
    { name: 'L1d', bytes: 49152, sharedBy: null, lineBytes: 64, source: 'cpuid' as const },
    { name: 'L3', bytes: 532676608, sharedBy: null, lineBytes: 64, source: 'cpuid' as const },
  ];
  assert.equal(caches({ ...base, caches: cpuid }), 'L1d 48K · L3 508M (64-byte lines, from CPUID via getconf)');
  const mixed = [{ ...cpuid[0]!, source: 'sysfs' as const, sharedBy: 1 }, cpuid[1]!];
  assert.equal(
    caches({ ...base, caches: mixed }),
    'L1d 48K/core · L3 508M (64-byte lines, L1d from sysfs, L3 from CPUID via getconf)',
  );
  assert.match(caches({ ...base, caches: [] }), /^not reported by this OS .*paratop info --measure/);
});

test("header: the refresh interval, and the process list's own when it is slower", async () => {
  const { headerLine } = await import('../../../src/view/header.js');
  const { startState } = await import('../../helpers/dashboard-events.js');
  assert.match(
    headerLine(startState({ intervalMs: 1000, processIntervalMs: 2000 }), 120, plain),
    /every 1s, processes 2s/,
  );
  assert.match(
    headerLine(startState({ intervalMs: 500, processIntervalMs: 2000 }), 120, plain),
    /every 0\.50s, processes 2s/,
  );
  const same = headerLine(startState({ intervalMs: 3000, processIntervalMs: 2000 }), 120, plain);
  assert.match(same, /every 3s/);
  assert.doesNotMatch(same, /processes/);
});
