import { setTimeout as sleep } from 'node:timers/promises';
import { HeadlessRecorder } from '../../app/headless-recorder.js';
import { RecordingFileError } from '../../app/recording-file.js';
import { type RecordingSession, startRecording } from '../../app/recording-session.js';
import { secondsLeft } from '../../model/progress-line.js';
import type { RecordingHeader } from '../../model/recording.js';
import { readMachineFacts } from '../../sampler/machine-facts.js';
import type { Sampler } from '../../sampler/sampler.js';
import { type Progress, startProgress } from '../output/progress.js';
import { UsageError } from '../usage-error.js';
import { openGpus } from './measure.js';
import { cpus } from 'node:os';

/** A recording file opened for a command, or a usage error naming it (a folder that does not exist, say). */
export function openRecording(
  path: string,
  sampler: Sampler,
  intervalSeconds: number,
  source: RecordingHeader['source'],
): RecordingSession {
  try {
    const session = startRecording(
      path,
      { sampler: sampler.kind, intervalSeconds },
      { startedAt: new Date().toISOString(), source, cores: cpus().map((_, index) => index) },
      (why) => process.stderr.write(`paratop: ${why}; the file keeps what was written before.\n`),
    );
    // The header waits for the machine facts (a few hundred ms); lines are held until then.
    readMachineFacts().then(
      (facts) => session.machineRead(facts),
      () => session.machineRead(null),
    );
    return session;
  } catch (error) {
    if (error instanceof RecordingFileError) throw new UsageError(`--record: ${error.message}.`);
    throw error;
  }
}

export interface RecordOptions {
  intervalSeconds: number;
  /** null: until Ctrl-C or SIGTERM */
  seconds: number | null;
}

/** `paratop record FILE`: the watch lines, into a recording, for `seconds` or until interrupted. */
export async function runRecord(sampler: Sampler, path: string, options: RecordOptions): Promise<void> {
  let session: RecordingSession;
  try {
    session = openRecording(path, sampler, options.intervalSeconds, 'record');
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--record: /, ''));
    throw error;
  }
  // The GPUs too, where there are any: the streaming child ends with the recording.
  const gpus = await openGpus(Math.max(500, options.intervalSeconds * 1000));
  const recorder = new HeadlessRecorder(session, sampler, options.intervalSeconds * 1000, undefined, gpus);
  const interrupted = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const stop = (): void => interrupted.abort();
  for (const signal of signals) process.once(signal, stop);
  let progress: Progress | undefined;
  try {
    await recorder.start();
    process.stderr.write(
      `paratop record: writing ${path} every ${options.intervalSeconds} s` +
        `${options.seconds === null ? ' until Ctrl-C' : ` for ${options.seconds} s`}\n`,
    );
    // Below the line above, which stays.
    const started = performance.now();
    progress = await startProgress(() => {
      const elapsedSeconds = (performance.now() - started) / 1000;
      return {
        what: `recording ${path}`,
        step: `${recorder.samples} sample${recorder.samples === 1 ? '' : 's'}`,
        elapsedSeconds,
        leftSeconds: secondsLeft(elapsedSeconds, null, options.seconds),
      };
    });
    const wait = options.seconds === null ? 2 ** 31 - 1 : options.seconds * 1000 + 50;
    await sleep(wait, undefined, { signal: interrupted.signal }).catch(() => undefined);
  } finally {
    progress?.stop();
    for (const signal of signals) process.off(signal, stop);
    await recorder.stop();
    gpus.close();
  }
  process.stderr.write(`paratop record: ${recorder.samples} samples in ${path}\n`);
}
