import type { DashboardState, LabState } from '../model/dashboard-state.js';
import { EMPTY_CURSOR } from '../model/selection.js';
import { emptyCoreMap } from '../model/core-map.js';
import {
  type LabPage,
  type RunResult,
  type RunSnapshot,
  type ScenarioInfo,
  unavailableReason,
} from '../model/lab-types.js';
import { LECTURE_MANY_THREADS, clampWorkers, workerLimit } from '../lab/worker-counts.js';
import { cachesMeasuredBy } from '../model/memory-ladder.js';
import type { Action } from './actions.js';
import type { Effect } from './events.js';
import { say } from './status-line.js';

type LabAction = Extract<Action, { type: 'lab-start' | 'lab-stop' | 'lab-workers' | 'lab-toggle' | 'lab-page' }>;

interface Step {
  state: DashboardState;
  effects: Effect[];
}

function withLab(state: DashboardState, lab: Partial<LabState>): DashboardState {
  return { ...state, lab: { ...state.lab, ...lab } };
}

function plural(count: number): string {
  return `${count} worker${count === 1 ? '' : 's'}`;
}

function changedCount(
  scenario: ScenarioInfo,
  current: number,
  change: 1 | -1 | 'cores' | 'many',
  cores: number,
): number {
  const wanted = change === 'cores' ? cores : change === 'many' ? LECTURE_MANY_THREADS : current + change;
  return clampWorkers(scenario, wanted, cores);
}

export function applyLabAction(state: DashboardState, action: LabAction): Step {
  const lab = state.lab;
  switch (action.type) {
    case 'lab-toggle':
      return { state: withLab(state, { visible: !lab.visible }), effects: [] };
    case 'lab-page': {
      const pages = Math.max(...lab.scenarios.map((scenario) => scenario.page));
      const page = ((lab.page % pages) + 1) as LabPage;
      // Looking for an engine starts Pythons that import it: only once its page is shown.
      const unknown = lab.scenarios.some(
        (scenario) => scenario.page === page && scenario.engine && !lab.engines[scenario.engine],
      );
      return { state: withLab(state, { visible: true, page }), effects: unknown ? [{ type: 'find-engines' }] : [] };
    }
    case 'lab-start': {
      const scenario = lab.scenarios.find((candidate) => candidate.key === action.key && candidate.page === lab.page);
      if (!scenario) return { state, effects: [] };
      const missing = unavailableReason(scenario, lab.python, lab.engines);
      if (missing) return { state: say(state, `${scenario.title} ${missing}.`, 'error'), effects: [] };
      const workers = lab.workers[scenario.id] ?? 1;
      // No status line: the panel's title bar says "starting…" itself.
      const next = withLab(state, { visible: true, focusId: scenario.id, error: null });
      return { state: next, effects: [{ type: 'lab-start', scenarioId: scenario.id, workers }] };
    }
    case 'lab-stop':
      if (!lab.run) return { state: say(state, 'No experiment is running.'), effects: [] };
      return { state, effects: [{ type: 'lab-stop' }] };
    case 'lab-workers': {
      const focusId = lab.run?.scenarioId ?? lab.focusId;
      const scenario = lab.scenarios.find((candidate) => candidate.id === focusId);
      if (!scenario)
        return {
          state: say(state, 'Start an experiment first (a digit); then [ ] c m change its worker count.'),
          effects: [],
        };
      if (scenario.fixedWorkers !== undefined) {
        return { state: say(state, `${scenario.title} always runs ${plural(scenario.fixedWorkers)}.`), effects: [] };
      }
      const current = lab.workers[scenario.id] ?? 1;
      const workers = changedCount(scenario, current, action.change, lab.cores);
      const next = withLab(state, { workers: { ...lab.workers, [scenario.id]: workers } });
      if (workers === current)
        return {
          state: say(next, `${scenario.title}: ${plural(workers)} (limit ${workerLimit(scenario, lab.cores)}).`),
          effects: [],
        };
      if (lab.run?.scenarioId === scenario.id) {
        return {
          state: say(next, `Restarting ${scenario.title} with ${plural(workers)}…`),
          effects: [{ type: 'lab-start', scenarioId: scenario.id, workers }],
        };
      }
      return { state: say(next, `Next run of ${scenario.title}: ${plural(workers)}.`), effects: [] };
    }
  }
}

/**
 * New figures from the lab. When a thread experiment starts running, the thread view of its
 * process opens, so its TIDs are on screen; when the run ends, that view closes again.
 */
export function labChanged(state: DashboardState, run: RunSnapshot | null, result: RunResult | null): Step {
  const before = state.lab.run;
  let next = withLab(state, { run, result });
  // A latency ladder measured where the OS reports no cache: its estimates go on the machine line.
  const measured = result !== state.lab.result && result ? cachesMeasuredBy(result) : null;
  if (measured && state.facts?.caches.every((cache) => cache.source === 'measured')) {
    next = { ...next, facts: { ...state.facts, caches: measured } };
  }
  const effects: Effect[] = [];
  const hostPid = run?.kind === 'threads' ? run.pids[0] : undefined;
  const justRunning = run?.phase === 'running' && (before?.phase !== 'running' || before.startedAt !== run.startedAt);
  // Each run's own map of where its threads ran, from its start; none between runs.
  if (justRunning) next = withLab(next, { map: emptyCoreMap(state.coreIds) });
  else if (!run) next = withLab(next, { map: null });
  // Experiments of several steps (run.step set) change their workers as they go: no thread view for them.
  if (justRunning && hostPid !== undefined && state.hasThreads && run.step === null) {
    const name = run.hostName ?? run.title;
    next = { ...next, threadPanel: { pid: hostPid, name, threads: null, exited: false, cursor: EMPTY_CURSOR } };
    effects.push({ type: 'sample-threads', pid: hostPid });
  }
  // Close a thread view the lab opened once its process is no longer one of the run's.
  const gonePids = (before?.pids ?? []).filter((pid) => !(run?.pids ?? []).includes(pid));
  if (next.threadPanel && gonePids.includes(next.threadPanel.pid)) next = { ...next, threadPanel: null };
  return { state: next, effects };
}

export function labFailed(state: DashboardState, message: string): DashboardState {
  return say(withLab(state, { error: message }), message, 'error');
}
