import { cpus } from 'node:os';
import type { DashboardSettings } from './dashboard-settings.js';
import { initialState } from '../model/dashboard-state.js';
import { readMachineFacts } from '../sampler/machine-facts.js';
import type { Sampler } from '../sampler/sampler.js';
import { DashboardView } from '../view/dashboard-view.js';
import { createScreen } from '../view/screen.js';
import { colourWanted, createTheme } from '../view/theme.js';
import { DashboardRuntime } from './dashboard-runtime.js';
import { installShutdown } from './shutdown.js';


/** The first real figures need two readings; this one comes sooner than a full interval. */
const FIRST_TICK_MS = 500;

/** Opens the full-screen dashboard. Returns only through the shutdown path (process exit). */
export async function startDashboard(sampler: Sampler, settings: DashboardSettings): Promise<never> {
  // Prime the counters before the screen opens, so the first frame already has processes.
  const [system, processes] = await Promise.all([sampler.sampleSystem(), sampler.sampleProcesses()]);

  const shutdown = installShutdown();
  let runtime: DashboardRuntime | undefined;
  const screen = createScreen({
    onKey: (key) => runtime?.dispatch({ type: 'key', key }),
    onMouseDown: (x, y) => runtime?.dispatch({ type: 'mouse-down', x, y }),
    onWheel: (direction) => runtime?.dispatch({ type: 'wheel', direction }),
    onResize: (cols, rows) => runtime?.dispatch({ type: 'resize', cols, rows }),
  });
  shutdown.onCleanUp(() => screen.destroy());

  const view = new DashboardView(screen, createTheme(colourWanted(process.env)));
  const state = initialState({
    size: { cols: Number(screen.width), rows: Number(screen.height) },
    intervalMs: Math.round(settings.intervalSeconds * 1000),
    readOnly: settings.readOnly,
    selfPid: process.pid,
    samplerKind: sampler.kind,
    hasThreads: sampler.hasThreads,
    coreIds: cpus().map((_, index) => index),
    order: settings.order,
    filter: settings.filter,
    tree: settings.tree,
    now: Date.now(),
  });
  runtime = new DashboardRuntime(state, { sampler, renderer: view, onQuit: () => shutdown.exit(0) });
  shutdown.onCleanUp(() => runtime?.stop());
  runtime.dispatch({ type: 'system-sampled', sample: system, selfCpu: null });
  runtime.dispatch({ type: 'processes-sampled', processes });
  runtime.start(Math.min(FIRST_TICK_MS, state.intervalMs));

  readMachineFacts().then(
    (facts) => runtime?.dispatch({ type: 'facts-read', facts }),
    () => runtime?.dispatch({ type: 'facts-read', facts: null }),
  );
  return new Promise<never>(() => undefined);
}
