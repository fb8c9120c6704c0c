import { setTimeout as sleep } from 'node:timers/promises';
import type { SortOrder } from '../../model/process-table.js';
import { tableRows } from '../../model/process-table.js';
import type { ProcessSample, SystemSample } from '../../model/types.js';
import type { Sampler } from '../../sampler/sampler.js';
import type { GpuSource } from '../../sampler/gpu-source.js';
import { createGpuSource, detectGpus } from '../../sampler/create-gpu-source.js';
import { withGpuUse } from '../../model/gpu-use.js';

export interface Measurement {
  system: SystemSample;
  processes: ProcessSample[];
}

/** Prime the sampler's counters, so that the next reading covers a real interval. */
export async function primeSampler(sampler: Sampler): Promise<void> {
  await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);
}

export async function measureOnce(sampler: Sampler): Promise<Measurement> {
  const [system, processes] = await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);
  return { system, processes };
}

/** One reading over a window: prime, wait, read. */
export async function measureOver(
  sampler: Sampler,
  windowSeconds: number,
  primed?: (processes: readonly ProcessSample[]) => void,
): Promise<Measurement> {
  const [, processes] = await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);
  primed?.(processes);
  await sleep(windowSeconds * 1000);
  return measureOnce(sampler);
}

/** The GPUs of a headless command: started now where there are any, nothing otherwise. */
export async function openGpus(loopMs: number): Promise<GpuSource> {
  const gpus = await createGpuSource(detectGpus(), { loopMs });
  gpus.start();
  return gpus;
}

/** The processes with the GPU source's figures for them (unchanged without a GPU). */
export function withGpuFigures(processes: ProcessSample[], gpus: GpuSource): ProcessSample[] {
  if (gpus.kind === 'none') return processes;
  return withGpuUse(processes, gpus.sampleProcessUse(processes.map((process) => process.pid)));
}

export interface ProcessSelection {
  sort: SortOrder;
  filter: string;
  limit: number | null;
}

/** The same filter and sort as the dashboard's table, then the top `limit`. */
export function selectProcesses(processes: readonly ProcessSample[], selection: ProcessSelection): ProcessSample[] {
  const rows = tableRows(processes, { order: selection.sort, filter: selection.filter, tree: false });
  return rows.slice(0, selection.limit ?? rows.length).map((row) => row.process);
}
