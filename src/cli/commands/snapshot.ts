import { formatBytes, formatPercent } from '../../model/format.js';
import { withMeasuredCaches } from '../../lab/memory-ladder-store.js';
import { readMachineFacts } from '../../sampler/machine-facts.js';
import type { Sampler } from '../../sampler/sampler.js';
import { PROCESS_CSV_HEADER, csvLine, processCsvRow } from '../output/csv.js';
import { toSampleRecord } from '../output/records.js';
import { processTableText } from '../output/text-table.js';
import { writeOut } from '../output/write-out.js';
import { type ProcessSelection, measureOver, selectProcesses } from './measure.js';

export interface SnapshotOptions extends ProcessSelection {
  format: 'text' | 'json' | 'csv';
  intervalSeconds: number;
}

/** One reading over about a second, printed once. */
export async function runSnapshot(sampler: Sampler, options: SnapshotOptions): Promise<void> {
  const [measurement, facts] = await Promise.all([measureOver(sampler, options.intervalSeconds), readMachineFacts()]);
  const machine = withMeasuredCaches(facts);
  const processes = selectProcesses(measurement.processes, options);
  const record = toSampleRecord(measurement.system, processes, {
    sampler: sampler.kind,
    intervalSeconds: options.intervalSeconds,
    machine,
  });
  if (options.format === 'json') {
    await writeOut(`${JSON.stringify(record, null, 2)}\n`);
  } else if (options.format === 'csv') {
    await writeOut(
      csvLine(PROCESS_CSV_HEADER) + record.processes.map((process) => processCsvRow(record.takenAt, process)).join(''),
    );
  } else {
    const { memory, cores } = measurement.system;
    const coreLine = (cores ?? []).map((core) => `${core.id}:${formatPercent(core.total)}%`).join('  ');
    await writeOut(
      `cores   ${coreLine}\n` +
        `memory  ${formatBytes(memory.usedBytes)} used of ${formatBytes(memory.totalBytes)}, ` +
        `swap ${formatBytes(memory.swapUsedBytes)} of ${formatBytes(memory.swapTotalBytes)}\n\n` +
        processTableText(processes),
    );
  }
}
