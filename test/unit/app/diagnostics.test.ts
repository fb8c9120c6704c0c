import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DiagnosticsRecord, startDiagnostics } from '../../../src/app/diagnostics.js';

test('diagnostics append one JSON line per period with memory, open files and event-loop delay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paratop-diagnostics-'));
  const file = join(dir, 'health.ndjson');
  const stop = startDiagnostics(file, 120);
  try {
    await sleep(500);
  } finally {
    stop();
  }
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const countAtStop = lines.length;
  assert.ok(countAtStop >= 3, `expected several records, got ${countAtStop}`);
  const records = lines.map((line) => JSON.parse(line) as DiagnosticsRecord);
  for (const record of records) {
    assert.ok(record.rss > record.heapUsed && record.heapTotal >= record.heapUsed, JSON.stringify(record));
    assert.ok(record.external > 0);
    assert.ok(typeof record.fds === 'number' && record.fds > 2, 'open files are counted on Linux');
    assert.ok(record.lagMeanMs >= 0 && record.lagP99Ms >= 0 && record.lagMaxMs >= record.lagMeanMs);
    assert.equal(typeof record.v8Lean, 'boolean');
  }
  assert.ok(
    records.every((record, index) => index === 0 || record.t > (records[index - 1]?.t ?? Infinity)),
    'time moves on',
  );
  await sleep(300);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, countAtStop, 'nothing is written after stop');
  rmSync(dir, { recursive: true, force: true });
});

test('a diagnostics file that cannot be written does not throw', async () => {
  const stop = startDiagnostics('/proc/no-such-dir/health.ndjson', 20);
  await sleep(80);
  stop();
});
