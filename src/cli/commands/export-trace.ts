import { writeFileSync } from 'node:fs';
import { recordingToTrace } from '../../model/chrome-trace.js';
import { UsageError } from '../usage-error.js';
import { loadRecording } from './load-recording.js';
import { messageOf } from '../../model/error-message.js';

/** `paratop export-trace FILE --out trace.json`: the recording as a Chrome trace, for Perfetto or chrome://tracing. */
export function runExportTrace(path: string, out: string): void {
  const trace = recordingToTrace(loadRecording(path));
  try {
    writeFileSync(out, JSON.stringify(trace));
  } catch (error) {
    throw new UsageError(`--out: cannot write ${out}: ${messageOf(error)}.`);
  }
  const tracks = trace.traceEvents.filter((event) => event.name === 'thread_name').length;
  process.stderr.write(
    `paratop export-trace: ${trace.traceEvents.length} events on ${tracks} tracks in ${out}; ` +
      'open it in https://ui.perfetto.dev or chrome://tracing\n',
  );
}
