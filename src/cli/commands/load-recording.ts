import { RecordingFileError, readRecording } from '../../app/recording-file.js';
import { type Recording, RecordingError } from '../../model/recording.js';
import { UsageError } from '../usage-error.js';

/** A recording named on the command line; a file that cannot be read or is not a recording is a usage mistake. */
export function loadRecording(path: string): Recording {
  try {
    const recording = readRecording(path);
    if (recording.truncated)
      process.stderr.write(
        `paratop: ${path} was cut short (paratop killed while writing?): read up to its last whole line.\n`,
      );
    return recording;
  } catch (error) {
    if (error instanceof RecordingFileError) throw new UsageError(`${error.message}.`);
    if (error instanceof RecordingError)
      throw new UsageError(
        `${path} is not a paratop recording: ${error.message}. ` +
          'Make one with paratop record FILE or paratop --record FILE.',
      );
    throw error;
  }
}
