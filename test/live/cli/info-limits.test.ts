import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { findExecutable } from '../../../src/lab/find-executable.js';
import { BIN } from '../../helpers/pty-session.js';

function hasTaskset(): boolean {
  try {
    findExecutable('taskset');
    return true;
  } catch {
    return false;
  }
}

interface InfoLimits {
  cpuLimits: { online: number; allowed: number[] | null; allowedList: string | null; effective: number };
}

describe('info: the cores paratop may use', {
  skip: process.platform !== 'linux' || !hasTaskset() ? 'needs Linux and taskset' : false,
}, () => {
  test('taskset -c 0 paratop info --json: allowed [0], effective 1', () => {
    const result = spawnSync('taskset', ['-c', '0', process.execPath, BIN, 'info', '--json'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const info = JSON.parse(result.stdout) as InfoLimits;
    assert.deepEqual(info.cpuLimits.allowed, [0]);
    assert.equal(info.cpuLimits.allowedList, '0');
    assert.equal(info.cpuLimits.effective, 1);
    assert.ok(info.cpuLimits.online >= 1);
  });

  test('the text says the CPU set, the quota and the usable count', () => {
    const result = spawnSync('taskset', ['-c', '0', process.execPath, BIN, 'info'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^CPU set 0 \(1 of \d+ cores\)$/m);
    assert.match(result.stdout, /^Quota {3}\S/m);
    assert.match(result.stdout, /^Usable {2}1 core:/m);
  });
});
