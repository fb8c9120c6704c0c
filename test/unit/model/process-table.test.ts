import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flatRows, matchesFilter, treeRows } from '../../../src/model/process-table.js';
import type { ProcessSample } from '../../../src/model/types.js';
import { processSample } from '../../helpers/samples.js';

const sample = [
  processSample({ pid: 1, ppid: 0, name: 'init', command: '/sbin/init', cpu: 1 }),
  processSample({ pid: 10, ppid: 1, name: 'sshd', command: '/usr/sbin/sshd', cpu: 5, user: 'root' }),
  processSample({ pid: 11, ppid: 10, name: 'bash', command: '-bash', cpu: null, user: 'student' }),
  processSample({ pid: 12, ppid: 11, name: 'python3', command: 'python3 0.py', cpu: 99, rssBytes: 50 }),
  processSample({ pid: 13, ppid: 11, name: 'vim', command: 'vim notes.txt', cpu: 5 }),
  processSample({ pid: 2, ppid: 0, name: 'kthreadd', command: '[kthreadd]', cpu: 0 }),
];
const pids = (rows: { process: ProcessSample }[]): number[] => rows.map((row) => row.process.pid);

test('sort by CPU, biggest first; "not measured yet" sorts last; ties by PID', () => {
  assert.deepEqual(pids(flatRows(sample, { key: 'cpu', descending: true }, '')), [12, 10, 13, 1, 2, 11]);
  assert.deepEqual(pids(flatRows(sample, { key: 'cpu', descending: false }, '')), [11, 2, 1, 10, 13, 12]);
  assert.deepEqual(pids(flatRows(sample, { key: 'user', descending: false }, '')), [1, 2, 10, 12, 13, 11]);
});

test('sort by text: any case together, then code-unit order (punctuation is not skipped)', () => {
  const withXorg = [...sample, processSample({ pid: 14, ppid: 1, name: 'Xorg', command: 'Xorg :0', cpu: 0 })];
  assert.deepEqual(pids(flatRows(withXorg, { key: 'command', descending: false }, '')), [11, 1, 10, 2, 12, 13, 14]);
  assert.deepEqual(pids(flatRows(withXorg, { key: 'command', descending: true }, '')), [14, 13, 12, 2, 10, 1, 11]);
});

test('filter: name or command line, any case; a number also matches the PID', () => {
  assert.ok(matchesFilter(sample[3]!, 'PYTHON3 0'));
  assert.ok(matchesFilter(sample[3]!, '12'));
  assert.ok(!matchesFilter(sample[3]!, 'vim'));
  assert.deepEqual(pids(flatRows(sample, { key: 'pid', descending: false }, 'py')), [12]);
  assert.equal(flatRows(sample, { key: 'pid', descending: false }, '   ').length, sample.length);
});

test('tree: children under parents with branch lines, siblings in sort order', () => {
  const rows = treeRows(sample, { key: 'cpu', descending: true }, '');
  assert.deepEqual(pids(rows), [1, 10, 11, 12, 13, 2]);
  assert.deepEqual(
    rows.map((row) => row.treePrefix),
    ['', '└─ ', '   └─ ', '      ├─ ', '      └─ ', ''],
  );
});

test('tree with a filter keeps the ancestors of each match', () => {
  assert.deepEqual(pids(treeRows(sample, { key: 'pid', descending: false }, 'vim')), [1, 10, 11, 13]);
});

test('tree survives a parent cycle (a PID reused mid-scan) without losing or repeating rows', () => {
  const cycle = [
    processSample({ pid: 5, ppid: 6 }),
    processSample({ pid: 6, ppid: 5 }),
    processSample({ pid: 7, ppid: 7 }),
  ];
  const rows = treeRows(cycle, { key: 'pid', descending: false }, '');
  assert.deepEqual(pids(rows).sort(), [5, 6, 7]);
});
