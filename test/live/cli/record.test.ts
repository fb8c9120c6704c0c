import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readRecording } from '../../../src/app/recording-file.js';
import { CORES_PID, type ChromeTrace, WORKERS_PID } from '../../../src/model/chrome-trace.js';
import { BIN } from '../../helpers/pty-session.js';
import { TAG_NAME, newTag, runWatched, untilNoneTagged } from '../../helpers/started.js';

const folder = mkdtempSync(join(tmpdir(), 'paratop-record-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the file has grown to `bytes`, or the time is up. */
async function untilSize(path: string, bytes: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const size = (() => {
      try {
        return statSync(path).size;
      } catch {
        return 0;
      }
    })();
    if (size >= bytes || Date.now() > deadline) return size;
    await sleep(50);
  }
}

describe('paratop record, export-trace, and recordings cut short', { timeout: 120_000 }, () => {
  test('record FILE --seconds N: a header and a watch line per interval', async () => {
    const path = join(folder, 'plain.ndjson');
    const result = await runWatched(['record', path, '--seconds', '1.6', '--interval', '0.5']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /samples in/);
    const recording = readRecording(path);
    assert.equal(recording.header.source, 'record');
    assert.ok(recording.header.machine, 'the machine facts are in the header');
    const samples = recording.entries.filter((entry) => entry.line.type === 'sample');
    assert.ok(samples.length >= 2 && samples.length <= 4, `${samples.length} samples`);
    const first = samples[0]?.line;
    assert.ok(first?.type === 'sample' && first.processes.some((process) => process.pid === 1 || process.pid > 1));
  });

  for (const name of ['killed.ndjson', 'killed.ndjson.gz']) {
    test(`a recording killed mid-write (SIGKILL) reads up to its last whole line: ${name}`, async () => {
      const path = join(folder, name);
      const child = spawn(process.execPath, [BIN, 'record', path, '--interval', '0.1'], { stdio: 'ignore' });
      try {
        // A few batches (one a second) on disk, then killed with no chance to close.
        assert.ok((await untilSize(path, 1, 15_000)) > 0, 'something was written');
        await sleep(2200);
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('close', resolve));
        const recording = readRecording(path);
        const samples = recording.entries.filter((entry) => entry.line.type === 'sample');
        assert.ok(samples.length >= 5, `${samples.length} samples survived`);
        // Cut the file mid-way too, as a kill during the write itself would: still readable.
        const data = readFileSync(path);
        writeFileSync(path, data.subarray(0, Math.floor(data.length * 0.8)));
        const cut = readRecording(path);
        assert.ok(cut.entries.length > 0 && cut.entries.length <= recording.entries.length);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }

  test('lab run --record, then export-trace: a track per core with the workers, a track per worker', {
    skip: process.platform !== 'linux' && 'places threads from /proc',
  }, async () => {
    const tag = newTag();
    const path = join(folder, 'gil.ndjson.gz');
    const out = join(folder, 'gil.trace.json');
    const run = await runWatched(
      ['lab', 'run', 'gil-threads', '--workers', '2', '--seconds', '2.5', '--record', path],
      { [TAG_NAME]: tag },
      60_000,
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(await untilNoneTagged(tag, 5000), [], 'no worker left running');
    const exported = await runWatched(['export-trace', path, '--out', out]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /events on \d+ tracks/);
    const trace = JSON.parse(readFileSync(out, 'utf8')) as ChromeTrace;
    for (const event of trace.traceEvents)
      for (const field of ['ph', 'ts', 'pid', 'tid'] as const) assert.notEqual(event[field], undefined, field);
    const tracks = (pid: number): string[] =>
      trace.traceEvents
        .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.pid === pid)
        .map((event) => String(event.args?.name));
    assert.ok(tracks(CORES_PID).includes('core 0'), tracks(CORES_PID).join());
    assert.deepEqual(tracks(WORKERS_PID).sort(), ['gil-worker-1', 'gil-worker-2']);
    const onCores = new Set(
      trace.traceEvents.filter((event) => event.ph === 'X' && event.pid === CORES_PID).map((event) => event.name),
    );
    assert.ok(onCores.has('gil-worker-1') && onCores.has('gil-worker-2'), [...onCores].join());
    const markers = trace.traceEvents.filter((event) => event.ph === 'i').map((event) => event.name);
    assert.ok(
      markers.some((name) => name.startsWith('started: Threads under a GIL-like lock')),
      markers.join(),
    );
    assert.ok(
      markers.some((name) => name.startsWith('result: ')),
      markers.join(),
    );
  });

  test('a file that is not a recording: a plain message naming it and what is expected, exit 2', async () => {
    const bogus = join(folder, 'notes.txt');
    writeFileSync(bogus, 'just some notes\n');
    for (const args of [
      ['replay', bogus],
      ['export-trace', bogus, '--out', join(folder, 'x.json')],
    ]) {
      const result = await runWatched(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /notes\.txt is not a paratop recording: .*"type":"paratop-recording"/);
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
    const missing = await runWatched(['replay', join(folder, 'missing.ndjson')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*missing\.ndjson: no such file or folder/);
    const unwritable = await runWatched(['record', join(folder, 'no', 'such', 'x.ndjson'), '--seconds', '1']);
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /cannot write .*x\.ndjson: no such file or folder/);
    assert.deepEqual(unwritable.started, [], 'nothing was started');
  });
});
