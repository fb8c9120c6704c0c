import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { type Recording, RecordingError, parseRecording } from '../model/recording.js';
import { messageOf } from '../model/error-message.js';

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

/** Lines wait in memory at most this long before they reach the file: what a SIGKILL can lose. */
const FLUSH_EVERY_MS = 1000;
/** Or until this much is waiting. */
const FLUSH_BYTES = 256 * 1024;

export interface RecordingFile {
  readonly path: string;
  readonly gzip: boolean;
  write(text: string): void;
  /** Everything written so far onto the file, now. */
  flush(): void;
  /** Flush and close; synchronous, so every exit path (a signal, a crash) can call it. Safe to call twice. */
  close(): void;
  /** Bytes written to the file so far (compressed, for .gz). */
  readonly bytesWritten: number;
  /** Why writing stopped (a full disk, say): the file keeps what was written before; null while it works. */
  readonly failure: string | null;
}

export class RecordingFileError extends Error {
  readonly code = 'RECORDING_FILE';
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  return messageOf(error);
}

/**
 * A recording being written. Lines are gathered and written once a second with a plain write: in
 * a .gz file each batch is its own gzip member (gzip allows several one after another), so a file
 * cut short by a kill still reads up to the last batch, and the exit path can finish synchronously.
 */
export function openRecordingFile(path: string, onFailure: (why: string) => void = () => undefined): RecordingFile {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new RecordingFileError(`cannot write ${path}: ${reason(error)}`);
  }
  const gzip = path.endsWith('.gz');
  let pending: string[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let bytesWritten = 0;
  let failure: string | null = null;
  // A full disk or a lost mount ends the recording, never the program that records.
  const fail = (error: unknown): void => {
    failure = `writing ${path} stopped: ${reason(error)}`;
    closed = true;
    pending = [];
    try {
      closeSync(fd);
    } catch {
      // closed as far as it can be
    }
    onFailure(failure);
  };
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || closed) return;
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    const data = gzip ? gzipSync(text) : Buffer.from(text);
    try {
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset);
    } catch (error) {
      fail(error);
      return;
    }
    bytesWritten += data.length;
  };
  return {
    path,
    gzip,
    get bytesWritten() {
      return bytesWritten;
    },
    get failure() {
      return failure;
    },
    write(text) {
      if (closed) return;
      pending.push(text);
      pendingBytes += Buffer.byteLength(text);
      if (pendingBytes >= FLUSH_BYTES) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, FLUSH_EVERY_MS);
        timer.unref();
      }
    },
    flush,
    close() {
      if (closed) return;
      flush();
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/** The whole text of a recording file, gunzipped when it is gzip (by name or first bytes), up to where it was cut. */
export function readRecordingText(path: string): string {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw new RecordingFileError(`cannot read ${path}: ${reason(error)}`);
  }
  if (path.endsWith('.gz') || (data[0] === 0x1f && data[1] === 0x8b)) {
    try {
      // A file cut short by a kill ends mid-member: keep what decodes before the cut.
      data = gunzipSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new RecordingError(`its gzip data is damaged (${reason(error)})`);
    }
  }
  // V8's longest string: past it the text cannot be held at once, and a plain error would say nothing.
  if (data.length > MAX_STRING_LENGTH)
    throw new RecordingError(
      `it holds ${Math.round(data.length / 2 ** 20)} MB of lines, more than paratop can read at once ` +
        `(${Math.floor(MAX_STRING_LENGTH / 2 ** 20)} MB); record with a longer --interval, or in parts`,
    );
  return data.toString('utf8');
}

/** A recording from its file; RecordingFileError when unreadable, RecordingError when not a recording. */
export function readRecording(path: string): Recording {
  return parseRecording(readRecordingText(path));
}
