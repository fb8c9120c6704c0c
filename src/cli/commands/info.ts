import { findScenario } from '../../lab/scenarios.js';
import { readLadder, withMeasuredCaches } from '../../lab/memory-ladder-store.js';
import { formatCpuList } from '../../model/cpu-list.js';
import { quotaCores } from '../../model/cpu-limits.js';
import { machineSummaryLines } from '../../model/machine-summary.js';
import { readCpuLimits } from '../../sampler/cpu-limits.js';
import { ladderSummary } from '../../model/memory-ladder.js';
import { readMachineFacts } from '../../sampler/machine-facts.js';
import type { Sampler } from '../../sampler/sampler.js';
import { writeOut } from '../output/write-out.js';
import { toGpuRecord } from '../../model/sample-record.js';
import { gpuInfoLines } from '../../model/gpu-summary.js';
import { openGpus } from './measure.js';

/** The ladder `info --measure` runs, and what it is: the memory-hierarchy experiment, headless. */
const LADDER_ID = 'memory-hierarchy';

/** The settings file in use and what is wrong in it, as `info` reports them. */
export interface SettingsReport {
  file: string | null;
  exists: boolean;
  label: string;
  problems: string[];
}

export async function runInfo(
  sampler: Sampler,
  options: { json?: boolean; measure?: boolean; settings: SettingsReport },
): Promise<number> {
  // The cores paratop may use (CPU set, cgroup quota): what its defaults assume, as the container sees it.
  const limits = readCpuLimits();
  const facts = { ...(await readMachineFacts()), limits };
  if (options.measure) {
    const scenario = findScenario(LADDER_ID);
    if (!scenario) throw new Error(`${LADDER_ID} is missing from the lab`);
    process.stderr.write('Measuring the memory hierarchy (about 20 s; Ctrl-C stops it)…\n');
    const { runHeadless } = await import('./lab.js');
    const result = await runHeadless(scenario, { workers: 1 }, limits.effective);
    if (result.stoppedBy !== 'finished')
      process.stderr.write(
        `The measurement was stopped (${result.stoppedBy}); what was kept is the last complete one.\n`,
      );
  }
  // nvidia-smi's first loop comes at once; a driver that does not answer costs at most this wait.
  const gpuSource = await openGpus(500);
  await gpuSource.ready(3000);
  const gpus = gpuSource.sampleGpus();
  gpuSource.close();
  const ladder = readLadder(facts.hostname);
  // Where the OS reports no cache, the sizes the last ladder measured here stand in, marked as measured.
  const { caches } = withMeasuredCaches(facts);
  const latency = ladder ? { takenAt: ladder.takenAt, steps: ladder.steps } : null;
  if (options.json) {
    const cpuLimits = {
      online: limits.online,
      allowed: limits.allowed,
      allowedList: limits.allowed ? formatCpuList(limits.allowed) : null,
      quota: limits.quota && { ...limits.quota, cores: limits.quota.quotaMicros / limits.quota.periodMicros },
      quotaCores: limits.quota ? quotaCores(limits.quota) : null,
      effective: limits.effective,
    };
    const { limits: _, ...plain } = facts;
    const { label: _label, ...settings } = options.settings;
    const gpuNote = gpuSource.kind !== 'none' && gpus.length === 0 ? `${gpuSource.note}: no answer` : gpuSource.note;
    const json = {
      ...plain,
      caches,
      cpuLimits,
      latency,
      sampler: sampler.kind,
      gpus: gpus.map(toGpuRecord),
      gpuSource: { kind: gpuSource.kind, note: gpuNote },
      settings,
    };
    await writeOut(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const lines = [
    ...machineSummaryLines({ ...facts, caches }),
    ['Sampler', sampler.kind] as [string, string],
    ...gpuInfoLines(gpus, gpuSource.note, gpuSource.kind !== 'none'),
  ];
  if (latency)
    lines.push([
      'Latency',
      `${ladderSummary(latency.steps).replace(/\.$/, '')} (measured ` +
        `${latency.takenAt.slice(0, 16).replace('T', ' ')} UTC)`,
    ]);
  lines.push(['Config', options.settings.label]);
  const problems = options.settings.problems.map((problem) => `        ${problem}\n`).join('');
  await writeOut(lines.map(([label, value]) => `${label.padEnd(8)}${value}\n`).join('') + problems);
  return 0;
}
