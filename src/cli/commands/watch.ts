import { setTimeout as sleep } from 'node:timers/promises';
import type { Sampler } from '../../sampler/sampler.js';
import { PROCESS_CSV_HEADER, csvLine, processCsvRow } from '../output/csv.js';
import { toSampleRecord } from '../output/records.js';
import { writeOut } from '../output/write-out.js';
import { type ProcessSelection, measureOnce, primeSampler, selectProcesses } from './measure.js';

export interface WatchOptions extends ProcessSelection {
  format: 'ndjson' | 'csv';
  intervalSeconds: number;
  /** null: until interrupted */
  count: number | null;
}

/** A sample every interval: one NDJSON object per sample, or CSV rows (one per process per sample). */
export async function runWatch(sampler: Sampler, options: WatchOptions): Promise<void> {
  // Ctrl-C ends the wait at once, even with a long interval, and the output stays well-formed.
  const interrupted = new AbortController();
  const stop = (): void => interrupted.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await primeSampler(sampler);
    if (options.format === 'csv') await writeOut(csvLine(PROCESS_CSV_HEADER));
    let next = performance.now();
    for (let taken = 0; options.count === null || taken < options.count; taken += 1) {
      next += options.intervalSeconds * 1000;
      try {
        await sleep(Math.max(0, next - performance.now()), undefined, { signal: interrupted.signal });
      } catch {
        break;
      }
      const measurement = await measureOnce(sampler);
      const record = toSampleRecord(measurement.system, selectProcesses(measurement.processes, options), {
        sampler: sampler.kind,
        intervalSeconds: options.intervalSeconds,
      });
      await writeOut(
        options.format === 'csv'
          ? record.processes.map((process) => processCsvRow(record.takenAt, process)).join('')
          : `${JSON.stringify(record)}\n`,
      );
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
