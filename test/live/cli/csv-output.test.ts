import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { csvField } from '../../../src/cli/output/csv.js';
import { BIN } from '../../helpers/pty-session.js';

describe('CSV output of untrusted names', () => {
  test('control characters become visible \\xHH; commas, quotes and line breaks are quoted as RFC 4180 says', () => {
    assert.equal(csvField('x\u001b]0;pwned\u0007y'), 'x\\x1b]0;pwned\\x07y');
    assert.equal(csvField('\u009b2J'), '\\x9b2J');
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    assert.equal(csvField('one\ntwo'), '"one\ntwo"');
    assert.equal(csvField('tab\there'), 'tab\there');
    assert.equal(csvField('C:\\path {red-fg}'), 'C:\\path {red-fg}');
    assert.equal(csvField(null), '');
    assert.equal(csvField(12.5), '12.5');
  });

  test('snapshot --csv of a process named to clear the screen and set the title: nothing raw reaches stdout', {
    skip: process.platform !== 'linux',
  }, async () => {
    const marker = 'paratop-csv-hostile';
    // exec -a sets argv[0]: the command line then holds ESC, OSC and BEL.
    const hostile = spawn('bash', ['-c', `exec -a "${marker}\x1b[2J\x1b]0;pwned\x07" sleep 30`], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = spawnSync(process.execPath, [BIN, 'snapshot', '--csv', '--interval', '0.2', '--filter', marker], {
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      const row = result.stdout.split('\n').find((line) => line.includes(marker) && !line.includes('snapshot'));
      assert.ok(row, `the hostile process is listed:\n${result.stdout}`);
      assert.match(row, /paratop-csv-hostile\\x1b\[2J\\x1b\]0;pwned\\x07/);
      assert.doesNotMatch(
        result.stdout,
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/,
        'no raw control character in the output',
      );
    } finally {
      hostile.kill('SIGKILL');
    }
  });
});
