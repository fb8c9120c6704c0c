import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  RecordingFileError,
  openRecordingFile,
  readRecording,
  readRecordingText,
} from '../../../src/app/recording-file.js';
import { RecordingError, parseRecording } from '../../../src/model/recording.js';
import { knownRecordingText } from '../../helpers/recording.js';

function inTemp(body: (folder: string) => void): void {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-recording-'));
  try {
    body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The known recording written line by line, flushed after every `every` lines (a batch each, as a second's worth). */
function writeKnown(path: string, every: number): string {
  const text = knownRecordingText();
  const file = openRecordingFile(path);
  text.split(/(?<=\n)/).forEach((line, index) => {
    file.write(line);
    if ((index + 1) % every === 0) file.flush();
  });
  file.close();
  file.close();
  return text;
}

test('plain and .gz recordings read back as written', () => {
  inTemp((folder) => {
    for (const name of ['run.ndjson', 'run.ndjson.gz']) {
      const path = join(folder, name);
      const text = writeKnown(path, 3);
      assert.equal(readRecordingText(path), text);
      assert.equal(readRecording(path).entries.length, parseRecording(text).entries.length);
    }
    assert.equal(readFileSync(join(folder, 'run.ndjson.gz'))[0], 0x1f, 'gzip by its name');
  });
});

test('a .gz recording cut anywhere reads up to the last whole line before the cut', () => {
  inTemp((folder) => {
    const path = join(folder, 'cut.ndjson.gz');
    const text = writeKnown(path, 2);
    const size = readFileSync(path).length;
    const whole = parseRecording(text).entries.length;
    let previous = -1;
    for (let length = 1; length < size; length += 7) {
      writeKnown(path, 2);
      truncateSync(path, length);
      let entries: number;
      try {
        const read = readRecordingText(path);
        assert.ok(text.startsWith(read), 'what reads back is a prefix of what was written');
        entries = parseRecording(read).entries.length;
      } catch (error) {
        // Cut inside the first batch's header line: no recording yet.
        assert.ok(error instanceof RecordingError, String(error));
        entries = 0;
      }
      assert.ok(entries >= previous && entries <= whole);
      previous = entries;
    }
    assert.ok(previous >= whole - 2, 'a cut near the end loses at most the last batch');
  });
});

test('unreadable and unwritable paths are named with the reason', () => {
  inTemp((folder) => {
    assert.throws(
      () => openRecordingFile(join(folder, 'no', 'such', 'x.ndjson')),
      (error: unknown) => {
        return error instanceof RecordingFileError && /cannot write .*no such file or folder/.test(error.message);
      },
    );
    assert.throws(() => readRecording(join(folder, 'missing')), /cannot read .*no such file or folder/);
    assert.throws(() => readRecording(folder), /cannot read .*it is a folder/);
    const damaged = join(folder, 'damaged.gz');
    writeFileSync(damaged, Buffer.from([0x1f, 0x8b, 0x08, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 1, 2, 3, 4, 5]));
    assert.throws(() => readRecording(damaged), RecordingError);
  });
});

test('a full disk stops the recording, not the program: said once, what was written kept', {
  skip: !existsSync('/dev/full') && 'no /dev/full here',
}, () => {
  const said: string[] = [];
  const file = openRecordingFile('/dev/full', (why) => said.push(why));
  file.write('{"type":"sample"}\n');
  assert.doesNotThrow(() => file.flush());
  file.write('more\n');
  assert.doesNotThrow(() => file.flush());
  assert.doesNotThrow(() => file.close());
  assert.deepEqual(said, ['writing /dev/full stopped: the disk is full']);
  assert.equal(file.failure, said[0]);
});
