import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProcReader } from '../../src/sampler/linux/proc-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'paratop-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a file larger than the reused buffer is read whole, then a small one after it', () => {
  const big = join(dir, 'big');
  const text = Array.from({ length: 3000 }, (_, index) => `line ${index}`).join('\n'); // ~27 KB
  writeFileSync(big, text);
  const reader = new ProcReader();
  assert.equal(reader.read(big), text);
  assert.equal(reader.read(big, 100), text.slice(0, 100), 'maxBytes cuts it short');
  writeFileSync(join(dir, 'small'), 'tiny\n');
  assert.equal(reader.read(join(dir, 'small')), 'tiny\n');
  assert.equal(reader.openCount, 0, 'read() keeps nothing open');
});

test('a kept-open file is re-read from its start and sees new contents; its group closes together', () => {
  const stat = join(dir, 'stat');
  const status = join(dir, 'status');
  writeFileSync(stat, '1 (a) S 0\n');
  writeFileSync(status, 'Name:\ta\n');
  const reader = new ProcReader();
  assert.equal(reader.readKeepingOpen(stat, 1), '1 (a) S 0\n');
  assert.equal(reader.readKeepingOpen(status, 1), 'Name:\ta\n');
  assert.equal(reader.openCount, 2);
  // Rewritten in place, as procfs regenerates a file: the same descriptor reads the new text.
  writeFileSync(stat, '1 (a) R 0 and more\n');
  assert.equal(reader.readKeepingOpen(stat, 1), '1 (a) R 0 and more\n');
  assert.equal(reader.openCount, 2, 'no second descriptor for the same file');
  reader.closeGroup(1);
  assert.equal(reader.openCount, 0);
});

test('a missing file is null; with no budget for open files, files are read and closed', () => {
  const reader = new ProcReader(0);
  assert.equal(reader.readKeepingOpen(join(dir, 'gone')), null);
  writeFileSync(join(dir, 'uptime'), '12.5 20.0\n');
  assert.equal(reader.readKeepingOpen(join(dir, 'uptime')), '12.5 20.0\n');
  assert.equal(reader.openCount, 0);
});
