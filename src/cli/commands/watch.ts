import type { Sampler } from '../../sampler/sampler.js';
import { PROCESS_CSV_HEADER, csvLine, processCsvRow } from '../output/csv.js';
import { toSampleRecord } from '../../model/sample-record.js';
import { writeOut } from '../output/write-out.js';
import { everyInterval } from './every-interval.js';
import {
  type ProcessSelection,
  measureOnce,
  openGpus,
  primeSampler,
  selectProcesses,
  withGpuFigures,
} from './measure.js';

export interface WatchOptions extends ProcessSelection {
  format: 'ndjson' | 'csv';
  intervalSeconds: number;
  /** null: until interrupted */
  count: number | null;
}

/** A sample every interval: one NDJSON object per sample, or CSV rows (one per process per sample). */
export async function runWatch(sampler: Sampler, options: WatchOptions): Promise<void> {
  // One looping nvidia-smi for the whole watch, ended with it; nothing at all without a GPU.
  const gpus = await openGpus(Math.max(100, options.intervalSeconds * 1000));
  try {
    await primeSampler(sampler);
    if (options.format === 'csv') await writeOut(csvLine(PROCESS_CSV_HEADER));
    await everyInterval(options, async () => {
      const measurement = await measureOnce(sampler);
      const processes = withGpuFigures(measurement.processes, gpus);
      const record = toSampleRecord(measurement.system, selectProcesses(processes, options), {
        sampler: sampler.kind,
        intervalSeconds: options.intervalSeconds,
        gpus: gpus.sampleGpus(),
      });
      await writeOut(
        options.format === 'csv'
          ? record.processes.map((process) => processCsvRow(record.takenAt, process)).join('')
          : `${JSON.stringify(record)}\n`,
      );
    });
  } finally {
    gpus.close();
  }
}
