import { SCENARIOS } from '../../src/lab/scenarios.js';
import type { DashboardEvent, Effect } from '../../src/app/events.js';
import { reduce } from '../../src/app/reducer.js';
import { helpScrollLimit } from '../../src/view/help.js';
import { type DashboardState, type InitialSettings, initialState } from '../../src/model/dashboard-state.js';

/** A dashboard state as paratop starts it on a 2-core machine in a 100x30 terminal. */
export function startState(overrides: Partial<InitialSettings> = {}): DashboardState {
  const size = overrides.size ?? { cols: 100, rows: 30 };
  return initialState({
    size,
    helpScrollLimit: helpScrollLimit(size.cols, size.rows),
    intervalMs: 1000,
    processIntervalMs: 2000,
    readOnly: false,
    selfPid: 4242,
    samplerKind: 'linux-proc',
    hasThreads: true,
    coreIds: [0, 1],
    order: { key: 'cpu', descending: true },
    filter: '',
    tree: false,
    now: 0,
    lab: {
      scenarios: SCENARIOS,
      cores: 2,
      workers: { 'one-thread': 1, 'free-threads': 2, 'gil-threads': 2, processes: 2, 'threads-join': 4 },
      visible: false,
    },
    ...overrides,
  });
}

/** Feed events in order; return the last state and every effect asked for. */
export function feed(state: DashboardState, ...events: DashboardEvent[]): { state: DashboardState; effects: Effect[] } {
  const effects: Effect[] = [];
  let current = state;
  for (const event of events) {
    const step = reduce(current, event, 1000);
    current = step.state;
    effects.push(...step.effects);
  }
  return { state: current, effects };
}

/** A key as blessed reports it: printable keys carry their character. */
export function key(full: string, ch?: string): DashboardEvent {
  return { type: 'key', key: { full, ch: ch ?? (full.length === 1 ? full : undefined) } };
}
