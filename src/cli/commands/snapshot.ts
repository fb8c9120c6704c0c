import { formatBytes, formatPercent, formatRate } from '../../model/format.js';
import { withMeasuredCaches } from '../../lab/memory-ladder-store.js';
import { readMachineFacts } from '../../sampler/machine-facts.js';
import type { Sampler } from '../../sampler/sampler.js';
import { PROCESS_CSV_HEADER, csvLine, processCsvRow } from '../output/csv.js';
import { toSampleRecord, toThreadRecord } from '../../model/sample-record.js';
import { UsageError } from '../usage-error.js';
import { toPrintable } from '../../model/untrusted-text.js';
import { gpuSnapshotLine } from '../../model/gpu-summary.js';
import type { ThreadSample } from '../../model/types.js';
import { processTableText } from '../output/text-table.js';
import { writeOut } from '../output/write-out.js';
import { type ProcessSelection, measureOver, openGpus, selectProcesses, withGpuFigures } from './measure.js';

export interface SnapshotOptions extends ProcessSelection {
  format: 'text' | 'json' | 'csv';
  intervalSeconds: number;
  /** Also the threads of this process, over the same window. */
  threadsOf?: number | null;
}

/** One line per thread: where it ran, how long it waited for a core, how it was switched. */
function threadTableText(threads: readonly ThreadSample[]): string {
  const header = `${'TID'.padStart(7)} S ${'CPU%'.padStart(6)} CORE WAIT%  VCSW  ICSW  MIGR NAME`;
  const rows = threads.map((thread) =>
    [
      String(thread.tid).padStart(7),
      thread.state,
      formatPercent(thread.cpu).padStart(6),
      (thread.lastCpu === null ? '-' : String(thread.lastCpu)).padStart(4),
      formatPercent(thread.waitPercent).padStart(5),
      formatRate(thread.ctxVoluntaryPerSecond).padStart(5),
      formatRate(thread.ctxInvoluntaryPerSecond).padStart(5),
      formatRate(thread.migrationsPerSecond).padStart(5),
      toPrintable(thread.name),
    ].join(' '),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

/** One reading over about a second, printed once. */
export async function runSnapshot(sampler: Sampler, options: SnapshotOptions): Promise<void> {
  const pid = options.threadsOf ?? null;
  if (pid !== null && !(await sampler.identify(pid))) throw new UsageError(`--threads ${pid}: no such process.`);
  const primedThreads = pid === null ? null : sampler.sampleThreads(pid, true);
  const gpus = await openGpus(Math.max(100, Math.min(1000, options.intervalSeconds * 1000)));
  let measurement: Awaited<ReturnType<typeof measureOver>>;
  let facts: Awaited<ReturnType<typeof readMachineFacts>>;
  try {
    // The GPU source's first reading of each process, so the second has a GPU% over the same window.
    const primeGpu = (processes: readonly { pid: number }[]): void => {
      if (gpus.kind !== 'none') gpus.sampleProcessUse(processes.map((process) => process.pid));
    };
    [measurement, facts] = await Promise.all([
      measureOver(sampler, options.intervalSeconds, primeGpu),
      readMachineFacts(),
    ]);
    await gpus.ready(2000);
    measurement = { ...measurement, processes: withGpuFigures(measurement.processes, gpus) };
  } finally {
    gpus.close();
  }
  await primedThreads;
  const threads = pid === null ? null : await sampler.sampleThreads(pid);
  if (pid !== null && threads === null)
    throw new UsageError(`--threads ${pid}: its threads cannot be read here (it ended, or this platform has none).`);
  const machine = withMeasuredCaches(facts);
  const processes = selectProcesses(measurement.processes, options);
  const gpusRead = gpus.sampleGpus();
  const record = toSampleRecord(measurement.system, processes, {
    sampler: sampler.kind,
    intervalSeconds: options.intervalSeconds,
    machine,
    gpus: gpusRead,
  });
  if (threads) record.threads = threads.map(toThreadRecord);
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
        `swap ${formatBytes(memory.swapUsedBytes)} of ${formatBytes(memory.swapTotalBytes)}\n` +
        gpusRead.map((gpu) => `${gpuSnapshotLine(gpu)}\n`).join('') +
        '\n' +
        processTableText(processes) +
        (threads ? `\nthreads of PID ${pid}\n${threadTableText(threads)}` : ''),
    );
  }
}
