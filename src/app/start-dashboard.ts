import { cpus } from 'node:os';
import { SCENARIOS } from '../lab/scenarios.js';
import { LabEngine } from '../lab/lab-engine.js';
import { python } from '../lab/python-runtime.js';
import { engineLine, findEngine } from '../lab/engine-runtime.js';
import { defaultWorkers } from '../lab/worker-counts.js';
import { type DashboardSettings, persistedSettings } from './dashboard-settings.js';
import { initialState } from '../model/dashboard-state.js';
import { readMachineFactsApart } from '../sampler/machine-facts-apart.js';
import { withMeasuredCaches } from '../lab/memory-ladder-store.js';
import type { Sampler } from '../sampler/sampler.js';
import { readCpuLimits } from '../sampler/cpu-limits.js';
import { DashboardView } from '../view/dashboard-view.js';
import { createTaskProbe } from '../sampler/create-probes.js';
import { helpScrollLimit } from '../view/help.js';
import { createScreen } from '../view/screen.js';
import { colourWanted, createTheme } from '../view/theme.js';
import { DashboardRuntime } from './dashboard-runtime.js';
import { startDiagnostics } from './diagnostics.js';
import { installShutdown } from './shutdown.js';
import { createDashboardHosts } from './dashboard-hosts.js';
import { DashboardRecorder, type RuntimeObserver } from './dashboard-recorder.js';
import { RunTape } from './run-tape.js';
import { createGpuSource, detectGpus } from '../sampler/create-gpu-source.js';

/** The first real figures need two readings; this one comes sooner than a full interval. */
const FIRST_TICK_MS = 500;
/** A problem in the settings file stays on the bottom line longer than other messages: it is read once. */
const SETTINGS_PROBLEM_SECONDS = 15;
/** On q, a running experiment gets this long to stop in stages before paratop kills it and exits. */
const QUIT_GRACE_MS = 4000;

/** Opens the full-screen dashboard. Returns only through the shutdown path (process exit). */
export async function startDashboard(direct: Sampler, settings: DashboardSettings): Promise<never> {
  // Opened before the screen: a file that cannot be written is a usage mistake, said before anything starts.
  // Loaded with --record only: the file and its gzip are for recordings.
  const recording = settings.record
    ? (await import('./recording-session.js')).startRecording(
        settings.record,
        { sampler: direct.kind, intervalSeconds: settings.intervalSeconds },
        { startedAt: new Date().toISOString(), source: 'dashboard', cores: cpus().map((_, index) => index) },
        // The dashboard goes on; the file keeps what it had, and the bottom line says why it stopped.
        (why) => runtime?.dispatch({ type: 'notice', ok: false, text: `Recording: ${why}.`, seconds: 15 }),
      )
    : null;
  // With --export, the dashboard samples through the exporter's keeper, so a scrape reuses its readings.
  // Loaded only with --export: prom-client, bcrypt and TLS are most of a start-up's modules otherwise.
  const exported = settings.export
    ? await (await import('./dashboard-exporter.js')).startDashboardExporter(direct, settings, settings.export)
    : null;
  const sampler = exported?.sampler ?? direct;
  // Prime the counters before the screen opens, so the first frame already has processes.
  const [system, processes] = await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]).catch(
    (error: unknown) => {
      exported?.close();
      throw error;
    },
  );

  const shutdown = installShutdown();
  const settingsLabel = settings.settingsFile?.label ?? '';
  if (recording) shutdown.onCleanUp(() => recording.close());
  // The last run, in memory, for its trace (T): it needs the run's placements, which no file keeps unless --record.
  const tape = new RunTape({
    sampler: direct.kind,
    intervalSeconds: settings.intervalSeconds,
    cores: cpus().map((_, index) => index),
  });
  const observers: RuntimeObserver[] = [tape, ...(recording ? [new DashboardRecorder(recording.lines)] : [])];
  let runtime: DashboardRuntime | undefined;
  // The lab's default worker counts follow the cores paratop may use here (CPU set, cgroup quota).
  const limits = readCpuLimits();
  const cores = limits.effective;
  const lab = new LabEngine({
    cores,
    onChange: () =>
      runtime?.dispatch({
        type: 'lab-changed',
        run: lab.snapshot(),
        result: lab.lastResult,
        output: lab.commandOutput(),
      }),
  });
  // Registered first, so it runs last: whatever else fails on the way out, no workload survives.
  shutdown.onCleanUp(() => lab.killNow());
  if (exported) {
    exported.showLab(() => lab.snapshot());
    shutdown.onCleanUp(() => exported.close());
  }
  // Tests prove the crash path cleans up: this key throws, but only when the variable names it.
  const crashKey = process.env.PARATOP_TEST_CRASH_KEY;
  const screen = createScreen({
    onKey: (key) => {
      if (crashKey && key.full === crashKey) throw new Error(`test crash (PARATOP_TEST_CRASH_KEY=${crashKey})`);
      runtime?.dispatch({ type: 'key', key });
    },
    onMouseDown: (x, y) => runtime?.dispatch({ type: 'mouse-down', x, y }),
    onWheel: (direction) => runtime?.dispatch({ type: 'wheel', direction }),
    onResize: (cols, rows) =>
      runtime?.dispatch({ type: 'resize', cols, rows, helpScrollLimit: helpScrollLimit(cols, rows, settingsLabel) }),
  });
  shutdown.onCleanUp(() => screen.destroy());
  const hosts = settings.hosts ? await createDashboardHosts(settings.hosts, settings) : null;
  if (hosts) shutdown.onCleanUp(() => hosts.stop());

  const view = new DashboardView(screen, createTheme(settings.theme !== 'mono' && colourWanted(process.env)));
  const state = initialState({
    hosts: hosts && { label: hosts.label, slowMs: hosts.slowMs },
    size: { cols: Number(screen.width), rows: Number(screen.height) },
    helpScrollLimit: helpScrollLimit(Number(screen.width), Number(screen.height), settingsLabel),
    intervalMs: Math.round(settings.intervalSeconds * 1000),
    processIntervalMs: Math.round(settings.processIntervalSeconds * 1000),
    readOnly: settings.readOnly,
    selfPid: process.pid,
    samplerKind: sampler.kind,
    hasThreads: sampler.hasThreads,
    coreIds: cpus().map((_, index) => index),
    order: settings.order,
    filter: settings.filter,
    tree: settings.tree,
    hiddenColumns: settings.hiddenColumns,
    schedulingColumns: settings.schedulingColumns,
    settingsLabel,
    now: Date.now(),
    lab: {
      scenarios: SCENARIOS,
      cores,
      workers: Object.fromEntries(SCENARIOS.map((scenario) => [scenario.id, defaultWorkers(scenario, cores)])),
      visible: settings.lab,
    },
  });
  const quit = async (): Promise<void> => {
    if (lab.running) {
      runtime?.dispatch({ type: 'notice', ok: true, text: 'Stopping the experiment before quitting…' });
      await Promise.race([
        lab.stop().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS)),
      ]);
    }
    await saveSettings();
    shutdown.exit(0);
  };
  // On q only, as htop writes htoprc: a signal or a crash leaves the file as it was.
  const saveSettings = async (): Promise<void> => {
    const current = runtime?.current;
    const note = current && (await settings.settingsFile?.save(persistedSettings(current)).catch(String));
    // Said after the terminal is restored, where it stays readable.
    if (note) process.once('exit', () => process.stderr.write(`paratop: ${note}\n`));
  };
  // Dask and MPI show greyed, with the reason and what to install, where no Python has them.
  const findEngines = (): void => {
    // No GPU here: no Python is started to import PyTorch (seconds, for nothing).
    if (gpus.kind === 'none')
      runtime?.dispatch({
        type: 'engine-found',
        engine: 'gpu',
        info: { available: false, reason: gpus.note },
      });
    const engines = gpus.kind === 'none' ? (['dask', 'mpi'] as const) : (['dask', 'mpi', 'gpu'] as const);
    for (const engine of engines)
      void findEngine(engine).then((found) =>
        runtime?.dispatch({
          type: 'engine-found',
          engine,
          info: found.available ? { available: true, line: engineLine(found) } : found,
        }),
      );
  };
  const probe = createTaskProbe();
  // A PATH look-up and a readdir: nothing is started where there is no GPU.
  const gpus = await createGpuSource(detectGpus(), { loopMs: Math.max(500, state.intervalMs) });
  if (gpus.kind !== 'none') {
    shutdown.onCleanUp(() => gpus.close());
    gpus.start();
    exported?.showGpus(() => gpus.sampleGpus());
  }
  runtime = new DashboardRuntime(state, {
    sampler,
    renderer: view,
    lab,
    probe,
    observers,
    exportTrace: () => tape.writeTrace(),
    gpus,
    onQuit: () => void quit(),
    findEngines,
  });
  shutdown.onCleanUp(() => runtime?.stop());
  hosts?.start((found, at) => runtime?.dispatch({ type: 'hosts-polled', hosts: found, at }));
  runtime.dispatch({ type: 'system-sampled', sample: system, selfCpu: null });
  runtime.dispatch({ type: 'processes-sampled', processes });
  runtime.start(Math.min(FIRST_TICK_MS, state.intervalMs));
  const [firstProblem, ...moreProblems] = settings.settingsFile?.problems ?? [];
  if (firstProblem) {
    const more = moreProblems.length > 0 ? ` (+${moreProblems.length} more: paratop info)` : '';
    runtime.dispatch({ type: 'notice', ok: false, text: `${firstProblem}${more}`, seconds: SETTINGS_PROBLEM_SECONDS });
  }
  // paratop run -- <command>: checked on the command line already; started once the screen is up.
  if (settings.command) runtime.dispatch({ type: 'lab-command', request: settings.command });

  const diagnostics = process.env.PARATOP_DIAGNOSTICS;
  if (diagnostics) shutdown.onCleanUp(startDiagnostics(diagnostics));

  // Python experiments show greyed, with the reason, where python3 is missing.
  void python().then((found) =>
    runtime?.dispatch({
      type: 'python-found',
      python: found.available ? { available: true, version: found.version, freeThreaded: found.freeThreaded } : found,
    }),
  );

  readMachineFactsApart().then(
    // Where the OS reports no cache, the last latency ladder measured here stands in, marked as measured.
    (facts) => {
      const machine = { ...withMeasuredCaches(facts), limits };
      exported?.showCaches(machine.caches);
      recording?.machineRead(machine);
      runtime?.dispatch({ type: 'facts-read', facts: machine });
    },
    () => {
      recording?.machineRead(null);
      runtime?.dispatch({ type: 'facts-read', facts: null });
    },
  );
  return new Promise<never>(() => undefined);
}
