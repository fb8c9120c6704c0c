import type { RecordingHeader } from '../model/recording.js';
import { RecordingLines } from '../model/recording-lines.js';
import type { MachineFacts } from '../model/types.js';
import { type RecordingFile, openRecordingFile } from './recording-file.js';

export interface RecordingSession {
  readonly lines: RecordingLines;
  readonly file: RecordingFile;
  /** The machine facts for the header, once read (null: they could not be); lines wait for the header. */
  machineRead(machine: MachineFacts | null): void;
  close(): void;
}

type HeaderContext = Omit<RecordingHeader, 'type' | 'version' | 'sampler' | 'intervalSeconds' | 'machine'>;

/**
 * A recording file with its header first: the machine facts come from a helper after the first
 * samples, so those lines are held until the header is written (or until it closes without them).
 */
export function startRecording(
  path: string,
  context: { sampler: string; intervalSeconds: number },
  header: HeaderContext,
  onFailure?: (why: string) => void,
): RecordingSession {
  const file = openRecordingFile(path, onFailure);
  let held: string[] | null = [];
  const lines = new RecordingLines((text) => {
    if (held) held.push(text);
    else file.write(text);
  }, context);
  const writeHeader = (machine: MachineFacts | null): void => {
    if (!held) return;
    const waiting = held;
    held = null;
    new RecordingLines((text) => file.write(text), context).header({ ...header, machine });
    for (const text of waiting) file.write(text);
  };
  return {
    lines,
    file,
    machineRead: writeHeader,
    close() {
      writeHeader(null);
      file.close();
    },
  };
}
