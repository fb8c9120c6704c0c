import { SCENARIOS } from '../lab/scenarios.js';
import { defaultWorkers } from '../lab/worker-counts.js';
import { initialState } from '../model/dashboard-state.js';
import type { Recording } from '../model/recording.js';
import { DashboardView } from '../view/dashboard-view.js';
import { helpScrollLimit } from '../view/help.js';
import { createScreen } from '../view/screen.js';
import { colourWanted, createTheme } from '../view/theme.js';
import { ReplayRuntime } from './replay-runtime.js';
import { installShutdown } from './shutdown.js';

/** Opens the dashboard on a recording (paratop replay FILE). Returns only through the shutdown path. */
export async function startReplay(recording: Recording, file: string): Promise<never> {
  const shutdown = installShutdown();
  let runtime: ReplayRuntime | undefined;
  const screen = createScreen({
    onKey: (key) => runtime?.dispatch({ type: 'key', key }),
    onMouseDown: (x, y) => runtime?.dispatch({ type: 'mouse-down', x, y }),
    onWheel: (direction) => runtime?.dispatch({ type: 'wheel', direction }),
    onResize: (cols, rows) =>
      runtime?.dispatch({ type: 'resize', cols, rows, helpScrollLimit: helpScrollLimit(cols, rows) }),
  });
  shutdown.onCleanUp(() => screen.destroy());
  const view = new DashboardView(screen, createTheme(colourWanted(process.env)));
  const header = recording.header;
  const cores = header.cores.length > 0 ? header.cores : [0];
  const samples = recording.entries.filter((entry) => entry.line.type === 'sample');
  const lengthMs = samples.length > 1 ? (samples.at(-1)?.at ?? 0) - (samples[0]?.at ?? 0) : 0;
  const state = initialState({
    size: { cols: Number(screen.width), rows: Number(screen.height) },
    helpScrollLimit: helpScrollLimit(Number(screen.width), Number(screen.height)),
    intervalMs: Math.round(header.intervalSeconds * 1000),
    processIntervalMs: Math.round(header.intervalSeconds * 1000),
    readOnly: true,
    selfPid: process.pid,
    samplerKind: header.sampler,
    hasThreads: true,
    coreIds: cores,
    order: { key: 'cpu', descending: true },
    filter: '',
    tree: false,
    now: Date.now(),
    lab: {
      scenarios: SCENARIOS,
      cores: cores.length,
      workers: Object.fromEntries(SCENARIOS.map((scenario) => [scenario.id, defaultWorkers(scenario, cores.length)])),
      visible: true,
    },
    replay: { file, samples: samples.length, lengthMs },
  });
  runtime = new ReplayRuntime(state, recording, { renderer: view, onQuit: () => shutdown.exit(0) });
  shutdown.onCleanUp(() => runtime?.stop());
  runtime.start();
  // Said on the screen too: stderr's line is covered by the screen as soon as it opens.
  if (recording.truncated)
    runtime.dispatch({
      type: 'notice',
      ok: false,
      text: `${file} was cut short (paratop killed while writing?): replayed up to its last whole line.`,
      seconds: 10,
    });
  return new Promise<never>(() => undefined);
}
