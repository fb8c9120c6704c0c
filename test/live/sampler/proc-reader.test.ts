import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProcReader } from '../../../src/sampler/linux/proc-reader.js';

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

test('a kept file is opened by its first read, re-read from its start, sees new contents and closes on release', () => {
  const stat = join(dir, 'stat');
  writeFileSync(stat, '1 (a) S 0\n');
  const reader = new ProcReader();
  const file = reader.keep(stat);
  assert.equal(reader.openCount, 0, 'opened by the first read, not before');
  assert.equal(reader.text(reader.reread(file) ?? 0), '1 (a) S 0\n');
  assert.equal(reader.openCount, 1);
  const fd = file.fd;
  // Rewritten in place, as procfs regenerates a file: the same descriptor reads the new text.
  writeFileSync(stat, '1 (a) R 0 and more\n');
  assert.equal(reader.text(reader.reread(file) ?? 0), '1 (a) R 0 and more\n');
  assert.equal(file.fd, fd, 'no second descriptor for the same file');
  reader.release(file);
  assert.equal(reader.openCount, 0);
  assert.equal(file.fd, null);
});

test('a kept /proc file of a process that has gone reads as gone, and its descriptor is closed', async () => {
  const child = spawn('sleep', ['30']);
  const pid = child.pid ?? 0;
  const reader = new ProcReader();
  const file = reader.keep(`/proc/${pid}/stat`);
  assert.match(reader.text(reader.reread(file) ?? 0), new RegExp(`^${pid} \\(sleep\\)`));
  assert.equal(reader.openCount, 1);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  // The old descriptor no longer reads; opened again by its path (as for a PID reused), it is not there.
  assert.equal(reader.reread(file), null);
  assert.equal(reader.openCount, 0);
  assert.equal(file.fd, null);
});

test('machine-wide files kept by path: one descriptor each, all closed by closeAll', () => {
  const uptime = join(dir, 'uptime2');
  writeFileSync(uptime, '1.0 2.0\n');
  const reader = new ProcReader();
  assert.equal(reader.readKeepingOpen(uptime), '1.0 2.0\n');
  writeFileSync(uptime, '3.5 4.0\n');
  assert.equal(reader.readKeepingOpen(uptime), '3.5 4.0\n');
  assert.equal(reader.openCount, 1);
  reader.closeAll();
  assert.equal(reader.openCount, 0);
});

test('a missing file is null; with no budget for open files, files are read and closed', () => {
  const reader = new ProcReader(0);
  assert.equal(reader.readKeepingOpen(join(dir, 'gone')), null);
  writeFileSync(join(dir, 'uptime'), '12.5 20.0\n');
  assert.equal(reader.readKeepingOpen(join(dir, 'uptime')), '12.5 20.0\n');
  assert.equal(reader.openCount, 0);
});
