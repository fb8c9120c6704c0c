import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordingError, parseRecording, processFromRecord, systemFromRecord } from '../../../src/model/recording.js';
import { toProcessRecord, toSampleRecord } from '../../../src/model/sample-record.js';
import { T0, knownRecordingText, systemAt } from '../../helpers/recording.js';
import { processSample } from '../../helpers/samples.js';

test('a recording reads back: its header, then samples and lab events in order', () => {
  const recording = parseRecording(knownRecordingText());
  assert.equal(recording.header.type, 'paratop-recording');
  assert.equal(recording.header.version, 1);
  assert.equal(recording.header.source, 'lab');
  assert.deepEqual(recording.header.cores, [0, 1]);
  assert.equal(recording.header.machine?.hostname, 'vm');
  assert.equal(recording.truncated, false);
  assert.equal(recording.skipped, 0);
  const kinds = recording.entries.map(({ line }) => (line.type === 'sample' ? 'sample' : line.event));
  assert.equal(kinds.filter((kind) => kind === 'sample').length, 5);
  assert.equal(kinds.filter((kind) => kind === 'placements').length, 12);
  assert.deepEqual(
    kinds.filter((kind) => kind !== 'sample' && kind !== 'placements'),
    ['run', 'ended', 'result'],
  );
});

test('a sample line is exactly a watch line, tagged "sample" first', () => {
  const line =
    knownRecordingText()
      .split('\n')
      .find((one) => one.startsWith('{"type":"sample"')) ?? '';
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed).slice(0, 1), ['type']);
  const watch = toSampleRecord(systemAt(T0, [1, 2]), [processSample({ pid: 1 })], {
    sampler: 'linux-proc',
    intervalSeconds: 1,
  });
  const own = Object.keys(parsed).filter((name) => name !== 'type' && name !== 'threadsOf' && name !== 'threads');
  assert.deepEqual(own, Object.keys(watch));
});

test('a recording cut short mid-line (paratop killed) reads up to its last whole line', () => {
  const text = knownRecordingText();
  const cut = text.slice(0, text.length - 40);
  const recording = parseRecording(cut);
  assert.equal(recording.truncated, true);
  assert.equal(recording.entries.length, parseRecording(text).entries.length - 1);
  // Cut right after a newline: nothing lost, nothing truncated.
  const whole = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
  assert.equal(parseRecording(whole).truncated, false);
});

test('what is not a recording is refused with what was expected', () => {
  const refused = (text: string, pattern: RegExp): void =>
    assert.throws(
      () => parseRecording(text),
      (error: unknown) => error instanceof RecordingError && pattern.test(error.message),
    );
  refused('', /empty.*"type":"paratop-recording"/);
  refused('hello world\n', /not JSON.*"type":"paratop-recording"/);
  refused('{"takenAt":"x","processes":[]}\n', /not a recording header/);
  refused('{"type":"paratop-recording","version":7}\n', /version 7.*version 1/);
  refused('{"type":"paratop-reco', /cut short|not JSON/);
});

test('lines of a kind this version does not know, or broken in the middle, are skipped, not fatal', () => {
  const [header = '', ...rest] = knownRecordingText().split('\n');
  const text = [header, '{"type":"future-thing"}', 'not json', ...rest].join('\n');
  const recording = parseRecording(text);
  assert.equal(recording.skipped, 2);
  assert.equal(recording.entries.length, parseRecording(knownRecordingText()).entries.length);
});

test('records turn back into the samples the dashboard shows', () => {
  const process = processSample({ pid: 7, name: 'x\u001b]0;t\u0007', cpu: 12.5, lastCpu: 1, waitPercent: 3 });
  const back = processFromRecord(toProcessRecord(process));
  for (const field of ['pid', 'name', 'cpu', 'lastCpu', 'waitPercent', 'command', 'rssBytes'] as const)
    assert.deepEqual(back[field], process[field], field);
  const line = parseRecording(knownRecordingText()).entries.find((entry) => entry.line.type === 'sample');
  assert.ok(line && line.line.type === 'sample');
  const system = systemFromRecord(line.line);
  assert.equal(system.at, T0 + 1000);
  assert.equal(system.cores?.length, 2);
});

test('a hostile recording: its text made inert, wrong figures null, unreadable items left out, no throw', () => {
  const [header = '', ...rest] = knownRecordingText().split('\n');
  const hostileHeader = header.replace('"hostname":"vm"', '"hostname":"vm\\u001b]0;pwned\\u0007\\u202e"');
  const sample = JSON.parse(rest.find((line) => line.includes('"type":"sample"')) ?? '{}');
  sample.processes = [
    { ...sample.processes[0], name: 'evil\u001b[31m', state: 7, memPercent: 'x', cpu: '99', rss: null },
    { pid: 'not a pid', name: 'dropped' },
  ];
  sample.cores = [{ id: 0, total: 'full' }, { id: 'one' }];
  sample.loadAverage = ['a'];
  const placements = JSON.stringify({ type: 'lab', event: 'placements', at: sample.takenAt, tasks: [{ cpu: 'x' }] });
  const recording = parseRecording([hostileHeader, JSON.stringify(sample), placements, ''].join('\n'));
  assert.equal(recording.header.machine?.hostname, 'vm]0;pwned');
  assert.equal(recording.skipped, 1, 'a placements line with an unreadable task is skipped');
  const line = recording.entries[0]?.line;
  assert.ok(line?.type === 'sample');
  assert.equal(line.processes.length, 1);
  const process = processFromRecord(line.processes[0]!);
  assert.equal(process.name, 'evil[31m');
  assert.equal(process.state, '');
  assert.equal(process.memPercent, 0);
  assert.equal(process.cpu, null);
  const system = systemFromRecord(line);
  assert.equal(system.cores?.length, 1);
  assert.equal(system.cores?.[0]?.total, 0);
  assert.deepEqual(line.loadAverage, [0, 0, 0]);
});
