import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planCoreGrid } from '../../../src/model/core-grid.js';
import { dashboardLayout } from '../../../src/model/screen-layout.js';

test('2 cores: roomy meters with history, one per line', () => {
  assert.deepEqual(planCoreGrid(2, 45, 5), { style: 'full', columns: 1, rows: 2, cellWidth: 45, labelWidth: 2 });
});

test('16 cores in 80x24: bars in columns', () => {
  const grid = planCoreGrid(16, 45, 6);
  assert.equal(grid.style, 'bar');
  assert.ok(grid.rows <= 6 && grid.columns * grid.rows >= 16);
});

test('64 and 128 cores still fit an 80x24 screen: a heat strip, every core present', () => {
  for (const cores of [64, 128]) {
    const layout = dashboardLayout(80, 24, cores);
    assert.equal(layout.coreGrid.style, 'heat');
    assert.ok(layout.coreGrid.rows * layout.coreGrid.columns >= cores);
    assert.ok(layout.cores.height <= 6, `meters take ${layout.cores.height} rows`);
    assert.ok(layout.tableBody.height >= 10, 'the process table keeps most of the screen');
  }
});

test('64 cores on a big screen get real meters, not the heat strip', () => {
  const layout = dashboardLayout(240, 70, 64);
  assert.notEqual(layout.coreGrid.style, 'heat');
});

test('80x24 is usable; below 60x15 is "too small"', () => {
  const layout = dashboardLayout(80, 24, 2);
  assert.equal(layout.tooSmall, false);
  assert.equal(layout.footer.top, 23);
  assert.equal(layout.tableBody.top + layout.tableBody.height, 23);
  assert.ok(layout.tableBody.height >= 15);
  assert.equal(dashboardLayout(59, 24, 2).tooSmall, true);
  assert.equal(dashboardLayout(80, 14, 2).tooSmall, true);
});
