import type { Sampler } from '../../sampler/sampler.js';
import { PROCESS_CSV_HEADER, csvLine, processCsvRow } from '../output/csv.js';
import { toSampleRecord } from '../../model/sample-record.js';
import { writeOut } from '../output/write-out.js';
import { everyInterval } from './every-interval.js';
import { type ProcessSelection, measureOnce, primeSampler, selectProcesses } from './measure.js';

export interface WatchOptions extends ProcessSelection {
  format: 'ndjson' | 'csv';
  intervalSeconds: number;
  /** null: until interrupted */
  count: number | null;
}

/** A sample every interval: one NDJSON object per sample, or CSV rows (one per process per sample). */
export async function runWatch(sampler: Sampler, options: WatchOptions): Promise<void> {
  await primeSampler(sampler);
  if (options.format === 'csv') await writeOut(csvLine(PROCESS_CSV_HEADER));
  await everyInterval(options, async () => {
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
  });
}
