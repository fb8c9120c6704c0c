import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatPercent, formatRate, formatSeconds, formatUptime } from '../../../src/model/format.js';
import { toPrintable } from '../../../src/model/untrusted-text.js';

test('bytes fit in five characters', () => {
  assert.equal(formatBytes(0), '0K');
  assert.equal(formatBytes(512 * 1024), '512K');
  assert.equal(formatBytes(9.84 * 1024 ** 2), '9.8M');
  assert.equal(formatBytes(512 * 1024 ** 2), '512M');
  assert.equal(formatBytes(1.25 * 1024 ** 3), '1.3G');
  assert.equal(formatBytes(24 * 1024 ** 3), '24G');
  assert.ok([1, 10, 999, 1000, 1023, 1e6, 1e9, 1e12, 1e15].every((kib) => formatBytes(kib * 1024).length <= 5));
});

test('percentages, rates, durations', () => {
  assert.equal(formatPercent(null), '-');
  assert.equal(formatPercent(5), '5.0');
  assert.equal(formatPercent(100), '100.0');
  assert.equal(formatPercent(1600), '1600');
  assert.equal(formatRate(null), '-');
  assert.equal(formatRate(12.4), '12');
  assert.equal(formatRate(1234), '1.2k');
  assert.equal(formatRate(34_567), '35k');
  assert.equal(formatRate(1_234_567), '1.2M');
  assert.equal(formatUptime(3 * 86_400 + 4 * 3600 + 11 * 60 + 59), '3d 04:11');
  assert.equal(formatUptime(59), '00:00');
  assert.equal(formatUptime(23 * 3600 + 59 * 60 + 59.9), '23:59');
  assert.equal(formatSeconds(0.85), '850 ms');
  assert.equal(formatSeconds(2.345), '2.35 s');
  assert.equal(formatSeconds(72), '1 min 12 s');
});

test('untrusted text: control characters, ESC sequences, bidi overrides go; tabs become spaces', () => {
  assert.equal(toPrintable('a\x1b]0;pwned\x07b'), 'a]0;pwnedb');
  assert.equal(toPrintable('x\x1b[2Jy\x9b31m'), 'x[2Jy31m');
  assert.equal(toPrintable('tab\there\nnew'), 'tab here new');
  assert.equal(toPrintable('evil\u202etxt.exe'), 'eviltxt.exe');
  assert.equal(
    toPrintable('🚀🚀日本 a'),
    '\uFFFD\uFFFD日本 a',
    'astral characters, which blessed misplaces, stand as U+FFFD',
  );
  assert.equal(toPrintable('lone \uD83D end'), 'lone \uFFFD end');
  assert.equal(toPrintable('{red-fg}ok{/red-fg} 中文 \ufffd'), '{red-fg}ok{/red-fg} 中文 \ufffd');
  assert.equal(toPrintable('\x00\x7f'), '');
});
