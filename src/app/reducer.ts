import { columnFor, columnSpans, neighbourColumn, type ColumnKey } from '../model/columns.js';
import { processIds, tableColumns, threadRows } from '../model/dashboard-selectors.js';
import {
  type AffinityTarget,
  type DashboardState,
  type KillTarget,
  REPLAY_SPEEDS,
  type ThreadPanel,
} from '../model/dashboard-state.js';
import { appendCapped, appendEach } from '../model/history.js';
import {
  type CursorMove,
  EMPTY_CURSOR,
  type ListCursor,
  moveCursor,
  moveCursorTo,
  settleCursor,
} from '../model/selection.js';
import { KILL_SIGNALS } from '../model/signals.js';
import type { GpuSample, ProcessSample } from '../model/types.js';
import { processScanEveryMs } from '../model/scan-cadence.js';
import { toPrintable } from '../model/untrusted-text.js';
import { helpBox, layoutFor } from '../model/screen-layout.js';
import type { Action } from './actions.js';
import type { DashboardEvent, Effect } from './events.js';
import { keyToAction, keyWhenTooSmall } from './keymap.js';
import { applyHostsAction, hostsPolled, settleHosts } from './hosts-reducer.js';
import { emptyCoreMap, type PlacedTask, withSlice } from '../model/core-map.js';
import { applyLabAction, labChanged, labFailed } from './lab-reducer.js';
import { EstimateError, describeEstimate, estimateFromLine } from '../lab/core-calculator.js';
import { status } from './status-line.js';

export interface Step {
  state: DashboardState;
  effects: Effect[];
}

/** Readings of history kept per core: more than the widest sparkline shows. */
export const HISTORY_CAPACITY = 120;
/** The refresh intervals `+` and `-` step through, ms. */
export const INTERVAL_STEPS = [250, 500, 1000, 2000, 3000, 5000, 10_000];

const same = (state: DashboardState): Step => ({ state, effects: [] });

function tableHeight(state: DashboardState): number {
  return layoutFor(state).tableBody.height;
}

/** Re-anchor both cursors after the rows or the screen changed. */
function settle(state: DashboardState): DashboardState {
  const height = tableHeight(state);
  const cursor = settleCursor(state.cursor, processIds(state), height);
  const panel = state.threadPanel;
  const threadPanel = panel && {
    ...panel,
    cursor: settleCursor(
      panel.cursor,
      threadRows(state).map((thread) => thread.tid),
      height,
    ),
  };
  return { ...state, cursor, threadPanel };
}

function withProcesses(state: DashboardState, processes: ProcessSample[]): DashboardState {
  return settle({ ...state, processes, heldProcesses: null });
}

export function nextInterval(current: number, step: 1 | -1): number {
  if (step > 0) return INTERVAL_STEPS.find((ms) => ms > current) ?? current;
  return [...INTERVAL_STEPS].reverse().find((ms) => ms < current) ?? current;
}

function sortBy(state: DashboardState, key: ColumnKey): DashboardState {
  const descending = key === state.order.key ? !state.order.descending : columnFor(key).descendingFirst;
  return settle({ ...state, order: { key, descending } });
}

function moveInPanel(
  state: DashboardState,
  move: (cursor: ListCursor, ids: number[], height: number) => ListCursor,
): DashboardState {
  const height = tableHeight(state);
  const panel = state.threadPanel;
  if (panel) {
    const ids = threadRows(state).map((thread) => thread.tid);
    return { ...state, threadPanel: { ...panel, cursor: move(panel.cursor, ids, height) } };
  }
  return { ...state, cursor: move(state.cursor, processIds(state), height) };
}

/**
 * Each GPU's history by its identity, not its place in the list: with two sources (an iGPU by DRM,
 * a card by nvidia-smi) one can appear before the other answers, and places shift.
 */
function gpuHistories(state: DashboardState, gpus: readonly GpuSample[]): number[][] {
  const before = new Map(state.gpus.map((gpu, index) => [gpu.id, state.gpuHistory[index] ?? []]));
  // A GPU that does not say (lost, [N/A]) draws as idle in the history, as a missing core reading does.
  return gpus.map((gpu) => appendCapped(before.get(gpu.id) ?? [], gpu.utilPercent ?? 0, HISTORY_CAPACITY));
}

/** Refusals that need no dialog: nothing selected, read-only, PID 1, paratop itself. */
function killRefusal(state: DashboardState, process: ProcessSample | undefined): string | null {
  if (state.readOnly) return 'Read-only mode (--read-only): killing is turned off.';
  if (!process) return 'No process selected.';
  if (process.pid <= 1)
    return `PID ${process.pid} is init; paratop will not signal it (that would take the whole system down).`;
  if (process.pid === state.selfPid) return 'That is paratop itself. Press q to quit instead.';
  return null;
}

function openKillDialog(state: DashboardState): Step {
  const pid = state.threadPanel?.pid ?? state.cursor.selectedId;
  const process = state.processes.find((candidate) => candidate.pid === pid);
  const refusal = killRefusal(state, process);
  if (refusal || !process) return same({ ...state, status: status(state.now, refusal ?? '', 'error') });
  const target: KillTarget = {
    pid: process.pid,
    name: process.name,
    user: process.user,
    command: process.command,
    startToken: process.startToken,
  };
  return same({ ...state, mode: { kind: 'kill', target, signalIndex: 0 } });
}

/** Refusals before the affinity dialog opens: as for kill, and pinning needs a selected task. */
function affinityRefusal(state: DashboardState, process: ProcessSample | undefined): string | null {
  if (state.readOnly) return 'Read-only mode (--read-only): pinning to cores is turned off.';
  if (!process) return 'No process selected.';
  if (process.pid <= 1) return `PID ${process.pid} is init; paratop will not pin it.`;
  if (process.pid === state.selfPid) return 'That is paratop itself; paratop will not pin itself.';
  return null;
}

/** a: the selected process, or in the thread view the selected thread; its current cores are read first. */
function openAffinityDialog(state: DashboardState): Step {
  const panel = state.threadPanel;
  const pid = panel?.pid ?? state.cursor.selectedId;
  const process = state.processes.find((candidate) => candidate.pid === pid);
  const refusal = affinityRefusal(state, process);
  if (refusal || !process) return same({ ...state, status: status(state.now, refusal ?? '', 'error') });
  const thread = panel ? threadRows(state).find((candidate) => candidate.tid === panel.cursor.selectedId) : undefined;
  if (panel && !thread) return same({ ...state, status: status(state.now, 'No thread selected.', 'error') });
  const target: AffinityTarget = {
    pid: process.pid,
    tid: thread ? thread.tid : null,
    name: thread ? thread.name : process.name,
    user: process.user,
    startToken: process.startToken,
  };
  return {
    state: { ...state, mode: { kind: 'affinity', target, cores: state.coreIds, chosen: null, cursor: 0 } },
    effects: [{ type: 'read-affinity', pid: target.pid, tid: target.tid }],
  };
}

/** The task's current cores arrived: the dialog's boxes start from them; if they cannot be read, it closes. */
function affinityRead(state: DashboardState, event: Extract<DashboardEvent, { type: 'affinity-read' }>): Step {
  const mode = state.mode;
  if (mode.kind !== 'affinity' || mode.target.pid !== event.pid || mode.target.tid !== event.tid) return same(state);
  if (!event.cores) {
    const why = event.reason ?? 'its cores could not be read.';
    return same({ ...closeDialog(state), status: status(state.now, `Cannot pin: ${why}`, 'error') });
  }
  // A core the task may use but the meters do not list (offline since) still shows, so nothing is lost on Enter.
  const cores = [...new Set([...mode.cores, ...event.cores])].sort((a, b) => a - b);
  return same({ ...state, mode: { ...mode, cores, chosen: event.cores } });
}

function changeAffinity(state: DashboardState, action: Action): Step {
  const mode = state.mode;
  if (mode.kind !== 'affinity') return same(state);
  if (action.type === 'affinity-cancel') return same(closeDialog(state));
  if (mode.chosen === null) return same(state);
  const chosen = mode.chosen;
  const core = mode.cores[mode.cursor];
  switch (action.type) {
    case 'affinity-move': {
      const count = mode.cores.length;
      return same({ ...state, mode: { ...mode, cursor: (mode.cursor + action.step + count) % count } });
    }
    case 'affinity-toggle': {
      if (core === undefined) return same(state);
      const next = chosen.includes(core)
        ? chosen.filter((one) => one !== core)
        : [...chosen, core].sort((a, b) => a - b);
      return same({ ...state, mode: { ...mode, chosen: next } });
    }
    case 'affinity-all': {
      // Like htop's a: every core; pressed again with every core already chosen, none (to pick one from scratch).
      const all = mode.cores.every((one) => chosen.includes(one));
      return same({ ...state, mode: { ...mode, chosen: all ? [] : [...mode.cores] } });
    }
    case 'affinity-apply':
      if (chosen.length === 0)
        return same({
          ...state,
          status: status(state.now, 'Choose at least one core (Space), or Esc to cancel.', 'error'),
        });
      return {
        state: closeDialog(state),
        effects: [{ type: 'set-affinity', target: mode.target, cores: chosen }],
      };
    default:
      return same(state);
  }
}

/** Closing a dialog (kill, affinity) unfreezes the list: readings that came in meanwhile are applied now. */
function closeDialog(state: DashboardState): DashboardState {
  const closed: DashboardState = { ...state, mode: { kind: 'normal' } };
  return state.heldProcesses ? withProcesses(closed, state.heldProcesses) : closed;
}

function toggleThreads(state: DashboardState): Step {
  if (state.threadPanel) return same({ ...state, threadPanel: null });
  const process = state.processes.find((candidate) => candidate.pid === state.cursor.selectedId);
  if (!process) return same(state);
  if (!state.hasThreads) {
    return same({
      ...state,
      status: status(state.now, `Per-thread figures are not available with the ${state.samplerKind} sampler.`, 'error'),
    });
  }
  const threadPanel: ThreadPanel = {
    pid: process.pid,
    name: process.name,
    threads: null,
    exited: false,
    cursor: EMPTY_CURSOR,
  };
  return { state: { ...state, threadPanel }, effects: [{ type: 'sample-threads', pid: process.pid }] };
}

/** Scrolling the output pane: how far back from its end, within what it holds. */
function scrollOutput(state: DashboardState, move: CursorMove | number): DashboardState {
  const page = Math.max(1, tableHeight(state) - 1);
  const furthest = Math.max(0, (state.lab.output?.lines.length ?? 0) - page);
  const steps: Record<CursorMove, number> = {
    up: 1,
    down: -1,
    'page-up': page,
    'page-down': -page,
    home: furthest,
    end: -furthest,
  };
  const back = state.outputScroll + (typeof move === 'number' ? -move : steps[move]);
  return { ...state, outputScroll: Math.min(furthest, Math.max(0, back)) };
}

function toggleOutput(state: DashboardState): DashboardState {
  if (!state.lab.output)
    return { ...state, outputOpen: false, status: status(state.now, 'No command has run yet: press r to run one.') };
  return { ...state, outputOpen: !state.outputOpen, resultsOpen: false, outputScroll: 0 };
}

/**
 * A replay shows what was recorded: nothing in it is a live process, so nothing can be signalled,
 * pinned or started (and its runtime has no way to do any of it).
 */
function replayRefusal(state: DashboardState, action: Action): string | null {
  if (!state.replay) return null;
  switch (action.type) {
    case 'kill-open':
      return 'This is a replay of a recording: no signal can be sent from it.';
    case 'affinity-open':
      return 'This is a replay of a recording: nothing can be pinned to cores from it.';
    case 'lab-start':
    case 'lab-stop':
    case 'lab-workers':
      return 'This is a replay of a recording: the lab cannot start or stop experiments in it.';
    case 'prompt-open':
      return action.purpose === 'run' ? 'This is a replay of a recording: no command can be run from it.' : null;
    case 'trace-export':
      return `This is a replay: paratop export-trace ${state.replay.file} --out trace.json makes its trace.`;
    default:
      return null;
  }
}

function replaySpeed(state: DashboardState, step: 1 | -1): Step {
  const replay = state.replay;
  if (!replay) return same(state);
  const index = REPLAY_SPEEDS.indexOf(replay.speed);
  const speed = REPLAY_SPEEDS[Math.max(0, Math.min(REPLAY_SPEEDS.length - 1, index + step))] ?? replay.speed;
  return {
    state: { ...state, replay: { ...replay, speed }, status: status(state.now, `Replay speed ×${speed}.`) },
    effects: [{ type: 'timing-changed' }],
  };
}

export function applyAction(state: DashboardState, action: Action): Step {
  const refused = replayRefusal(state, action);
  if (refused) return same({ ...state, status: status(state.now, refused, 'error') });
  const onHosts = applyHostsAction(state, action);
  if (onHosts) return same(onHosts);
  switch (action.type) {
    case 'hosts-toggle':
      return same(state);
    case 'scheduling-columns-toggle': {
      const shown = !(state.schedulingColumns ?? state.lab.run !== null);
      const text = shown
        ? 'CORE (the core each process last ran on) and WAIT% (time waiting for a core) shown; e hides them.'
        : 'CORE and WAIT% hidden; e shows them.';
      return same({ ...state, schedulingColumns: shown, status: status(state.now, text) });
    }
    case 'core-map-toggle':
      if (state.coreMap) return same({ ...state, coreMap: null });
      return same({ ...state, coreMap: emptyCoreMap(state.coreIds), outputOpen: false, resultsOpen: false });
    case 'quit':
      return { state, effects: [{ type: 'quit' }] };
    case 'trace-export':
      if (!state.lab.run && !state.lab.result)
        return same({
          ...state,
          status: status(state.now, 'No run yet: start an experiment, then T writes its trace.'),
        });
      return { state, effects: [{ type: 'export-trace' }] };
    case 'replay-step':
      if (!state.replay) return same(state);
      return { state: { ...state, paused: true }, effects: [{ type: 'replay-seek', step: action.step }] };
    case 'replay-speed':
      return replaySpeed(state, action.step);
    case 'move':
      if (state.outputOpen) return same(scrollOutput(state, action.move));
      return same(moveInPanel(state, (cursor, ids, height) => moveCursor(cursor, ids, action.move, height)));
    case 'scroll':
      if (state.outputOpen) return same(scrollOutput(state, action.rows));
      return same(
        moveInPanel(state, (cursor, ids, height) => {
          const settled = settleCursor(cursor, ids, height);
          return moveCursorTo(settled, ids, settled.index + action.rows, height);
        }),
      );
    case 'sort-step': {
      const key = neighbourColumn(
        state.order.key,
        action.step,
        tableColumns(state).map((column) => column.key),
      );
      return same(settle({ ...state, order: { key, descending: columnFor(key).descendingFirst } }));
    }
    case 'sort-invert':
      return same(settle({ ...state, order: { ...state.order, descending: !state.order.descending } }));
    case 'sort-by':
      return same(sortBy(state, action.key));
    case 'toggle-tree':
      return same(settle({ ...state, tree: !state.tree }));
    case 'prompt-open': {
      const draft =
        action.purpose === 'filter'
          ? state.filter
          : action.purpose === 'calc'
            ? state.lab.calcInput
            : state.lab.commandInput;
      return same({
        ...state,
        threadPanel: action.purpose === 'filter' ? null : state.threadPanel,
        mode: { kind: 'prompt', purpose: action.purpose, draft },
      });
    }
    case 'prompt-type':
    case 'prompt-backspace':
    case 'prompt-erase': {
      if (state.mode.kind !== 'prompt') return same(state);
      const draft =
        action.type === 'prompt-type'
          ? state.mode.draft + action.text
          : action.type === 'prompt-backspace'
            ? Array.from(state.mode.draft).slice(0, -1).join('')
            : '';
      return same(settle({ ...state, mode: { ...state.mode, draft } }));
    }
    case 'prompt-accept':
      if (state.mode.kind !== 'prompt') return same(state);
      if (state.mode.purpose === 'calc')
        return same(runCalculator({ ...state, mode: { kind: 'normal' } }, state.mode.draft));
      if (state.mode.purpose === 'run') {
        const line = state.mode.draft.trim();
        const next = {
          ...state,
          mode: { kind: 'normal' as const },
          lab: { ...state.lab, commandInput: line, visible: true, error: null },
        };
        return { state: next, effects: [{ type: 'lab-run-command', line }] };
      }
      return same(settle({ ...state, filter: state.mode.draft.trim(), mode: { kind: 'normal' } }));
    case 'prompt-cancel':
      // Esc in the filter prompt clears the filter, as in htop; elsewhere it just closes the prompt.
      if (state.mode.kind === 'prompt' && state.mode.purpose === 'filter')
        return same(settle({ ...state, filter: '', mode: { kind: 'normal' } }));
      return same({ ...state, mode: { kind: 'normal' } });
    case 'back':
      if (state.coreMap) return same({ ...state, coreMap: null });
      if (state.outputOpen) return same({ ...state, outputOpen: false });
      if (state.resultsOpen) return same({ ...state, resultsOpen: false });
      if (state.threadPanel) return same({ ...state, threadPanel: null });
      return state.filter ? same(settle({ ...state, filter: '' })) : same(state);
    case 'threads-toggle':
      return toggleThreads(state);
    case 'kill-open':
      return openKillDialog(state);
    case 'kill-choose': {
      if (state.mode.kind !== 'kill') return same(state);
      const count = KILL_SIGNALS.length;
      const signalIndex = (state.mode.signalIndex + action.step + count) % count;
      return same({ ...state, mode: { ...state.mode, signalIndex } });
    }
    case 'kill-send': {
      if (state.mode.kind !== 'kill') return same(state);
      const signal = KILL_SIGNALS[state.mode.signalIndex]?.name ?? 'SIGTERM';
      return { state: closeDialog(state), effects: [{ type: 'send-signal', target: state.mode.target, signal }] };
    }
    case 'kill-cancel':
      return same(closeDialog(state));
    case 'affinity-open':
      return openAffinityDialog(state);
    case 'affinity-move':
    case 'affinity-toggle':
    case 'affinity-all':
    case 'affinity-apply':
    case 'affinity-cancel':
      return changeAffinity(state, action);
    case 'help-open':
      return same({ ...state, mode: { kind: 'help', scroll: 0 } });
    case 'help-scroll':
      return same(scrollHelp(state, action.move));
    case 'help-close':
      return same({ ...state, mode: { kind: 'normal' } });
    case 'pause-toggle':
      return { state: { ...state, paused: !state.paused }, effects: [{ type: 'timing-changed' }] };
    case 'interval-step': {
      const intervalMs = nextInterval(state.intervalMs, action.step);
      if (intervalMs === state.intervalMs) return same(state);
      const processesEvery = processScanEveryMs({ ...state, intervalMs });
      const processes = processesEvery === intervalMs ? '' : `; the process list every ${processesEvery / 1000} s`;
      const text = `Refreshing every ${intervalMs / 1000} s${processes}.`;
      return {
        state: { ...state, intervalMs, status: status(state.now, text) },
        effects: [{ type: 'timing-changed' }],
      };
    }
    case 'results-toggle':
      if (!state.lab.result?.table && !state.lab.result?.chart) {
        return same({
          ...state,
          resultsOpen: false,
          status: status(
            state.now,
            'No results to show yet: run an experiment with a table or chart first (lab page 2).',
          ),
        });
      }
      return same({ ...state, resultsOpen: !state.resultsOpen, outputOpen: false });
    case 'output-toggle':
      return same(toggleOutput(state));
    case 'lab-toggle':
    case 'lab-page':
    case 'lab-start':
    case 'lab-stop':
    case 'lab-workers': {
      const step = applyLabAction(state, action);
      return { state: settle(step.state), effects: step.effects };
    }
  }
}

/** Scroll the help screen, within what it holds; where it all fits, the key closes it like any other. */
function scrollHelp(state: DashboardState, move: CursorMove): DashboardState {
  if (state.mode.kind !== 'help') return state;
  const { cols, rows } = state.size;
  const limit = state.helpScrollLimit;
  if (limit === 0) return { ...state, mode: { kind: 'normal' } };
  // A page is the lines shown at once: the box's text rows but the last, which says how to scroll.
  const page = Math.max(1, helpBox(cols, rows).textHeight - 1);
  const steps: Record<CursorMove, number> = {
    up: -1,
    down: 1,
    'page-up': -page,
    'page-down': page,
    home: -Infinity,
    end: Infinity,
  };
  const scroll = Math.max(0, Math.min(limit, state.mode.scroll + steps[move]));
  return { ...state, mode: { kind: 'help', scroll } };
}

/** The calculator's answer (or what was wrong with the question) on the status line and in the lab panel. */
function runCalculator(state: DashboardState, line: string): DashboardState {
  try {
    const estimate = estimateFromLine(line);
    const answer = describeEstimate(estimate);
    // The status line is one row: the headline there, the whole answer in the lab panel (shown for it).
    const cost = estimate.cost === null ? '' : `, costing ${estimate.cost.toFixed(2)}`;
    const headline =
      `Calculator: ${estimate.cores} ` + `core${estimate.cores === 1 ? '' : 's'}${cost} (details in the lab panel).`;
    return {
      ...state,
      lab: { ...state.lab, visible: true, calcInput: line.trim(), calcAnswer: answer },
      status: status(state.now, headline),
    };
  } catch (error) {
    const message = error instanceof EstimateError ? error.message : String(error);
    return {
      ...state,
      lab: { ...state.lab, calcInput: line.trim() },
      status: status(state.now, `Calculator: ${message}`, 'error'),
    };
  }
}

/** A click: a column title sorts by it, a row selects it. Clicks under a dialog do nothing. */
function mouseDown(state: DashboardState, x: number, y: number): Step {
  if (state.mode.kind === 'help') return same({ ...state, mode: { kind: 'normal' } });
  if (state.mode.kind !== 'normal' || state.hosts?.shown) return same(state);
  const layout = layoutFor(state);
  if (layout.tooSmall) return same(state);
  if (y === layout.tableHeader.top && !state.threadPanel) {
    const spans = columnSpans(layout.tableHeader.width, tableColumns(state));
    const span = spans.find((candidate) => x >= candidate.start && x < candidate.end);
    return span ? same(sortBy(state, span.key)) : same(state);
  }
  const body = layout.tableBody;
  if (y < body.top || y >= body.top + body.height) return same(state);
  return same(
    moveInPanel(state, (cursor, ids, height) => {
      const index = cursor.scrollTop + y - body.top;
      return index < ids.length ? moveCursorTo(cursor, ids, index, height) : cursor;
    }),
  );
}

/** Processes running now (state R), as the core map's tasks: their main thread, by name and PID. */
function runningProcesses(processes: readonly ProcessSample[]): PlacedTask[] {
  return processes
    .filter((process) => process.state === 'R')
    .map((process) => ({
      key: `${process.pid}/${process.pid}`,
      label: `${toPrintable(process.name)} ${process.pid}`,
      cpu: process.lastCpu,
      running: true,
    }));
}

export function reduce(state: DashboardState, event: DashboardEvent, now: number): Step {
  const current = { ...state, now };
  switch (event.type) {
    case 'system-sampled': {
      const cores = event.sample.cores;
      return same({
        ...current,
        system: event.sample,
        selfCpu: event.selfCpu,
        coreIds: cores ? cores.map((core) => core.id) : current.coreIds,
        coreHistory: cores
          ? appendEach(
              current.coreHistory,
              cores.map((core) => core.total),
              HISTORY_CAPACITY,
            )
          : current.coreHistory,
      });
    }
    case 'gpus-sampled':
      return same({
        ...current,
        gpus: event.gpus,
        // A GPU that does not say (lost, [N/A]) draws as idle in the history, as a missing core reading does.
        gpuHistory: gpuHistories(current, event.gpus),
      });
    case 'processes-sampled': {
      // Without a lab run the map shows what each scan saw running.
      const coreMap =
        current.coreMap && !current.lab.run
          ? withSlice(current.coreMap, runningProcesses(event.processes))
          : current.coreMap;
      // While the kill or affinity dialog is open the list stays as the user saw it.
      if (current.mode.kind === 'kill' || current.mode.kind === 'affinity')
        return same({ ...current, coreMap, heldProcesses: event.processes });
      return same(withProcesses({ ...current, coreMap }, event.processes));
    }
    case 'placements-sampled': {
      const coreMap = current.coreMap && withSlice(current.coreMap, event.tasks);
      const map = current.lab.map && withSlice(current.lab.map, event.tasks);
      return same({ ...current, coreMap, lab: { ...current.lab, map } });
    }
    case 'threads-sampled': {
      const panel = current.threadPanel;
      if (!panel || panel.pid !== event.pid) return same(current);
      const threadPanel = { ...panel, threads: event.threads ?? panel.threads, exited: event.threads === null };
      return same(settle({ ...current, threadPanel }));
    }
    case 'facts-read':
      return same({ ...current, facts: event.facts, factsFailed: event.facts === null });
    case 'key': {
      const action = layoutFor(current).tooSmall
        ? keyWhenTooSmall(event.key)
        : keyToAction(current.mode, event.key, current.replay !== null);
      return action ? applyAction(current, action) : same(current);
    }
    case 'mouse-down':
      return mouseDown(current, event.x, event.y);
    case 'wheel':
      return current.mode.kind === 'normal'
        ? applyAction(current, { type: 'scroll', rows: event.direction === 'up' ? -3 : 3 })
        : same(current);
    case 'resize':
      return same(
        settleHosts(
          settle({ ...current, size: { cols: event.cols, rows: event.rows }, helpScrollLimit: event.helpScrollLimit }),
        ),
      );
    case 'hosts-polled':
      return same(hostsPolled(current, event.hosts, event.at));
    case 'notice':
      return same({
        ...current,
        status: status(now, toPrintable(event.text), event.ok ? 'info' : 'error', event.seconds),
      });
    case 'lab-changed': {
      const step = labChanged({ ...current, lab: { ...current.lab, output: event.output } }, event.run, event.result);
      return { state: settle(step.state), effects: step.effects };
    }
    case 'lab-failed':
      return same(labFailed(current, event.message));
    case 'lab-command':
      return {
        state: { ...current, lab: { ...current.lab, visible: true, error: null, commandInput: event.request.display } },
        effects: [{ type: 'lab-start-command', request: event.request }],
      };
    case 'python-found':
      return same({ ...current, lab: { ...current.lab, python: event.python } });
    case 'affinity-read':
      return affinityRead(current, event);
    case 'engine-found':
      return same({
        ...current,
        lab: { ...current.lab, engines: { ...current.lab.engines, [event.engine]: event.info } },
      });
    case 'replay-moved': {
      const replay = current.replay;
      if (!replay) return same(current);
      const moved = { ...replay, position: event.position, atMs: event.atMs, ended: event.ended };
      if (!event.ended || replay.ended || current.paused) return same({ ...current, replay: moved });
      const text = 'End of the recording: ← steps back, Space plays it again, q quits.';
      return same({ ...current, replay: moved, paused: true, status: status(now, text) });
    }
    case 'tick':
      return same(current);
  }
}
