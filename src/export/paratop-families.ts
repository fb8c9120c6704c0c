import type { RunSnapshot } from '../model/lab-types.js';
import type { CacheLevel, ProcessSample } from '../model/types.js';
import {
  type ExportChoices,
  type Labels,
  type MetricFamily,
  type MetricSample,
  type ScrapeFigures,
  family,
  gauge,
} from './metric-family.js';

/** paratop's own figures, under paratop_: processes, the lab's run, the caches, and how fresh it all is. */

/** The top N by CPU now (then by CPU time, for a first reading with no rates), and every lab worker. */
export function exportedProcesses(
  processes: readonly ProcessSample[],
  limit: number,
  workers: ReadonlySet<number>,
): ProcessSample[] {
  const ranked = [...processes].sort(
    (a, b) => (b.cpu ?? -1) - (a.cpu ?? -1) || b.cpuSeconds - a.cpuSeconds || a.pid - b.pid,
  );
  return ranked.filter((process, rank) => rank < limit || workers.has(process.pid));
}

function labWorkerPids(lab: RunSnapshot | null): Set<number> {
  return new Set(lab ? [...lab.pids, ...lab.workerStates.map((worker) => worker.pid)] : []);
}

function processFamilies(figures: ScrapeFigures, choices: ExportChoices): MetricFamily[] {
  const chosen = exportedProcesses(figures.processes, choices.processes, labWorkerPids(figures.lab));
  const cpu: MetricSample[] = [];
  const resident: MetricSample[] = [];
  const threads: MetricSample[] = [];
  const switches: MetricSample[] = [];
  const waiting: MetricSample[] = [];
  const lastCpu: MetricSample[] = [];
  for (const process of chosen) {
    const labels: Labels = { pid: String(process.pid), comm: process.name, user: process.user };
    if (choices.cmdline) labels.cmdline = process.command;
    cpu.push({ labels, value: process.cpuSeconds });
    resident.push({ labels, value: process.rssBytes });
    if (process.threads !== null) threads.push({ labels, value: process.threads });
    if (process.ctxVoluntary !== null)
      switches.push({ labels: { ...labels, kind: 'voluntary' }, value: process.ctxVoluntary });
    if (process.ctxInvoluntary !== null)
      switches.push({ labels: { ...labels, kind: 'involuntary' }, value: process.ctxInvoluntary });
    if (process.waitSeconds !== null) waiting.push({ labels, value: process.waitSeconds });
    if (process.lastCpu !== null) lastCpu.push({ labels, value: process.lastCpu });
  }
  return [
    gauge(
      'paratop_processes',
      'Processes on the machine (the exported ones are the top by CPU and lab workers).',
      figures.processes.length,
    ),
    gauge('paratop_processes_exported', 'Processes exported per process in this scrape.', chosen.length),
    family('paratop_process_cpu_seconds', 'CPU time (user + system) of the process since it started.', 'counter', cpu),
    family('paratop_process_resident_memory_bytes', 'Resident memory of the process (RSS).', 'gauge', resident),
    family('paratop_process_threads', 'Threads of the process.', 'gauge', threads),
    family(
      'paratop_process_context_switches',
      "Context switches of the process's main thread, by kind (voluntary: it waited; involuntary: preempted).",
      'counter',
      switches,
    ),
    family(
      'paratop_process_wait_seconds',
      "Time the process's main thread was runnable but waiting for a core (schedstat run delay).",
      'counter',
      waiting,
    ),
    family('paratop_process_last_cpu', 'The core the process last ran on.', 'gauge', lastCpu),
  ];
}

function labFamilies(lab: RunSnapshot | null): MetricFamily[] {
  if (!lab) return [gauge('paratop_lab_running', 'Whether a lab experiment or command is running (1) or not (0).', 0)];
  const run = { experiment: lab.scenarioId };
  const threadCpu: MetricSample[] = [];
  const threadUnits: MetricSample[] = [];
  for (const worker of lab.workerStates) {
    const labels = {
      ...run,
      pid: String(worker.pid),
      tid: worker.tid === null ? '' : String(worker.tid),
      name: worker.name,
    };
    if (worker.cpuSeconds !== null) threadCpu.push({ labels, value: worker.cpuSeconds });
    threadUnits.push({ labels, value: worker.units });
  }
  const optional = (name: string, help: string, value: number | null): MetricFamily[] =>
    value === null ? [] : [gauge(name, help, value, run)];
  return [
    gauge('paratop_lab_running', 'Whether a lab experiment or command is running (1) or not (0).', 1),
    gauge('paratop_lab_run_info', 'The running experiment: its id, title, kind, phase and step.', 1, {
      ...run,
      title: lab.title,
      kind: lab.kind,
      phase: lab.phase,
      step: lab.step ?? '',
    }),
    gauge('paratop_lab_run_workers', 'Workers (threads or processes) of the running experiment.', lab.workers, run),
    gauge('paratop_lab_run_elapsed_seconds', 'Seconds since the running experiment began.', lab.elapsedSeconds, run),
    ...optional(
      'paratop_lab_run_cores_used',
      'Cores the running experiment has kept busy on average since it began (1 = one core).',
      lab.coresUsed,
    ),
    family('paratop_lab_run_units', 'Work units the running experiment has done.', 'counter', [
      { labels: run, value: lab.units },
    ]),
    ...optional(
      'paratop_lab_run_units_per_second',
      'Work units per second of the running experiment since it began.',
      lab.elapsedSeconds > 0 ? lab.units / lab.elapsedSeconds : null,
    ),
    ...optional(
      'paratop_lab_run_context_switches_per_second',
      "Context switches per second of the workers' threads.",
      lab.ctxPerSecond,
    ),
    family(
      'paratop_lab_thread_cpu_seconds',
      'CPU time of each worker of the run since the run began.',
      'counter',
      threadCpu,
    ),
    family('paratop_lab_thread_units', 'Work units each worker of the run has done.', 'counter', threadUnits),
  ];
}

function cacheFamilies(caches: readonly CacheLevel[]): MetricFamily[] {
  const size: MetricSample[] = caches.map((cache) => ({
    labels: { level: cache.name, source: cache.source },
    value: cache.bytes,
  }));
  const shared: MetricSample[] = caches.flatMap((cache) =>
    cache.sharedBy === null ? [] : [{ labels: { level: cache.name }, value: cache.sharedBy }],
  );
  return [
    family(
      'paratop_cache_size_bytes',
      'Size of one instance of each CPU cache, and where the size came from.',
      'gauge',
      size,
    ),
    family('paratop_cache_shared_by_cpus', 'Logical CPUs that share one instance of each cache.', 'gauge', shared),
  ];
}

export function paratopFamilies(figures: ScrapeFigures, choices: ExportChoices): MetricFamily[] {
  return [
    family(
      'paratop_sample_age_seconds',
      'Age of the readings this scrape served (it reads afresh only when stale).',
      'gauge',
      [
        { labels: { part: 'system' }, value: figures.systemAgeSeconds },
        { labels: { part: 'processes' }, value: figures.processesAgeSeconds },
      ],
    ),
    ...processFamilies(figures, choices),
    ...labFamilies(figures.lab),
    ...cacheFamilies(figures.caches),
  ];
}
