import { coreMapReading } from '../model/core-map.js';
import type { LabState } from '../model/dashboard-state.js';
import { formatPercent, formatRate } from '../model/format.js';
import {
  COMMAND_RUN_ID,
  pythonLine,
  type RunResult,
  type RunSnapshot,
  type WorkerState,
  unavailableReason,
} from '../model/lab-types.js';
import { printableOutput } from './output-view.js';
import type { Theme } from './theme.js';
import { cell, clipToWidth, escapeTags, wrapText } from './text-fit.js';

/** A paragraph for the panel: its text, its colour, and whether it may be dropped when space is short. */
interface Block {
  text: string;
  role?: 'dim' | 'error' | 'label' | 'info';
  optional?: boolean;
  /** Shorter ways to say the same, tried in order when space is short (after optional blocks are gone). */
  shorter?: string[];
  /** One line, clipped, rather than wrapped (list rows). */
  clip?: boolean;
}

function workerText(worker: WorkerState, kind: RunSnapshot['kind']): string {
  const id = kind === 'threads' ? `TID ${worker.tid ?? '?'}` : `PID ${worker.pid}`;
  const state = worker.exit ?? `${formatPercent(worker.cpu)}%`;
  return `${id} ${worker.name} ${state}`;
}

/** A command's run: its processes and threads as they come and go, and what it printed last. */
function commandBlocks(lab: LabState, run: RunSnapshot): Block[] {
  const processes = new Set(run.workerStates.map((thread) => thread.pid));
  const cores = run.coresUsed === null ? 'measuring…' : `${run.coresUsed.toFixed(2)} cores busy`;
  const blocks: Block[] = [
    {
      text:
        `${cores} · ${processes.size} ` +
        `process${processes.size === 1 ? '' : 'es'}, ` +
        `${run.workerStates.length} thread${run.workerStates.length === 1 ? '' : 's'}`,
      role: 'info',
    },
  ];
  for (const pid of processes) {
    const threads = run.workerStates.filter((thread) => thread.pid === pid);
    const main = threads.find((thread) => thread.tid === pid) ?? threads[0];
    const others = threads
      .filter((thread) => thread !== main)
      .map((thread) => `${thread.tid ?? '?'} ${thread.name} ${formatPercent(thread.cpu)}%`);
    const head = `PID ${pid} ${main?.name ?? ''} ${formatPercent(main?.cpu ?? null)}%`;
    blocks.push({ text: others.length > 0 ? `${head} · TIDs ${others.join(' · ')}` : head, clip: true });
  }
  const last = lab.output?.lines.at(-1);
  if (last)
    blocks.push({
      text: `o output: ${printableOutput(last.text)}`,
      role: last.stream === 'err' ? 'error' : 'dim',
      clip: true,
    });
  return blocks;
}

function runningBlocks(lab: LabState, run: RunSnapshot): Block[] {
  if (run.scenarioId === COMMAND_RUN_ID) return commandBlocks(lab, run);
  const scenario = lab.scenarios.find((candidate) => candidate.id === run.scenarioId);
  const blocks: Block[] = [];
  // Never dropped: the panel must say plainly that this lock is a stand-in for CPython's.
  if (scenario?.simulation)
    blocks.push({
      text: scenario.simulation,
      role: 'dim',
      shorter: scenario.simulationBrief ? [scenario.simulationBrief] : [],
    });
  const engine = scenario?.engine ? lab.engines[scenario.engine] : undefined;
  if (engine?.available) blocks.push({ text: engine.line, role: 'dim' });
  else if (scenario?.runtime === 'python' && !scenario.engine && lab.python?.available) {
    blocks.push({ text: pythonLine(lab.python), role: lab.python.freeThreaded ? 'error' : 'dim' });
  }
  if (scenario) blocks.push({ text: `Look for: ${scenario.lookFor}`, role: 'label' });
  if (run.step) blocks.push({ text: `Now: ${run.step}`, role: 'info' });
  if (run.phase === 'starting') {
    blocks.push({ text: `Starting ${run.workers} worker${run.workers === 1 ? '' : 's'}…` });
    return blocks;
  }
  const cores = run.coresUsed === null ? '' : `${run.coresUsed.toFixed(2)} cores busy`;
  const rate =
    run.elapsedSeconds > 0 && run.units > 0 ? `${formatRate(run.units / run.elapsedSeconds)} work units/s` : '';
  const switches = run.ctxPerSecond === null ? '' : `${formatRate(run.ctxPerSecond)} context switches/s`;
  blocks.push({ text: [cores, rate, switches].filter(Boolean).join(' · ') || 'measuring…', role: 'info' });
  const workers = run.workerStates.map((worker) => workerText(worker, run.kind)).join(' · ');
  // Many workers in a small panel: IDs and CPU% only, still one entry per worker.
  const compact = run.workerStates
    .map((worker) => {
      const id = (run.kind === 'threads' ? worker.tid : worker.pid) ?? '?';
      return `${id} ${worker.exit ?? `${formatPercent(worker.cpu)}%`}`;
    })
    .join(' ');
  blocks.push(
    run.kind === 'threads'
      ? {
          text: `PID ${run.pids[0] ?? '?'}, one process; its threads: ${workers}`,
          shorter: [`PID ${run.pids[0] ?? '?'}; TIDs: ${compact}`],
        }
      : { text: workers, shorter: [`PIDs: ${compact}`] },
  );
  // What the core map sees of this run's threads, measured, in a sentence (g shows the map itself).
  const reading = lab.map ? coreMapReading(lab.map) : null;
  if (reading) blocks.push({ text: `Seen: ${reading}`, role: 'label' });
  if (scenario) blocks.push({ text: scenario.explanation, role: 'dim', optional: true });
  return blocks;
}

const STOP_NOTES: Partial<Record<RunResult['stoppedBy'], string>> = {
  terminated: 'The workers did not stop when asked and were sent SIGTERM.',
  killed: 'The workers did not stop when asked, nor on SIGTERM, and were killed (SIGKILL).',
  exited: 'The run ended because its workers exited (killed from the table, or crashed).',
};

function resultBlocks(result: RunResult): Block[] {
  const blocks: Block[] = [{ text: `Last run, ${result.title}: ${result.summary}`, role: 'info' }];
  if (result.scenarioId === COMMAND_RUN_ID)
    blocks.push({ text: 'v shows its processes, o its output.', role: 'label' });
  else if (result.table || result.chart) blocks.push({ text: 'v shows its table and chart.', role: 'label' });
  for (const line of result.lines ?? []) blocks.push({ text: line, optional: true });
  // Your own command does no work units, but its wall time, CPU time and load per core count as much.
  if (result.units > 0 || result.scenarioId === COMMAND_RUN_ID) {
    const cpu = result.cpuSeconds === null ? '' : `CPU ${result.cpuSeconds.toFixed(1)} s`;
    const cores = result.coresUsed === null ? '' : `${result.coresUsed.toFixed(2)} cores used`;
    const rate = result.units > 0 ? `${formatRate(result.unitsPerSecond)} units/s` : '';
    const perCore = result.perCore
      ? `per core ${result.perCore.map((core) => `${core.id}:${core.busy.toFixed(0)}%`).join(' ')}`
      : '';
    blocks.push({
      text: [`wall ${result.wallSeconds.toFixed(1)} s`, cpu, cores, rate, perCore].filter(Boolean).join(' · '),
    });
  }
  if (result.joined.length > 0) {
    const throws = result.joined.reduce((sum, entry) => sum + entry.argument, 0);
    const hits = result.joined.reduce((sum, entry) => sum + entry.result, 0);
    const each = result.joined
      .map((entry) => `thread ${entry.index}: ${formatRate(entry.argument)} throws -> ${formatRate(entry.result)} hits`)
      .join(' · ');
    blocks.push({ text: `Joined: ${each}. Together: pi ≈ ${((4 * hits) / throws).toFixed(5)}` });
  }
  const note = STOP_NOTES[result.stoppedBy];
  if (note) blocks.push({ text: note, role: 'dim' });
  return blocks;
}

function scenarioBlocks(lab: LabState, compact: boolean): Block[] {
  const page = lab.scenarios.filter((scenario) => scenario.page === lab.page);
  if (compact) {
    return [
      { text: page.map((scenario) => `${scenario.key} ${scenario.title}`).join(' · '), role: 'dim', optional: true },
    ];
  }
  const titleWidth = Math.max(...page.map((scenario) => scenario.title.length));
  return page.map((scenario) => {
    const count = `×${lab.workers[scenario.id] ?? 1}`.padEnd(4);
    const text = `${scenario.key} ${count} ${scenario.title.padEnd(titleWidth)}  ${scenario.lecture}`;
    // Greyed, with the reason, where python3 or the engine cannot be used.
    const missing = unavailableReason(scenario, lab.python, lab.engines);
    if (missing)
      return {
        text: `${scenario.key} ${count} ${scenario.title.padEnd(titleWidth)}  ${missing}`,
        clip: true,
        role: 'dim',
      };
    return { text, clip: true };
  });
}

function headerText(lab: LabState): string {
  const run = lab.run;
  const keys = lab.scenarios.filter((scenario) => scenario.page === lab.page).map((scenario) => scenario.key);
  const pages = Math.max(...lab.scenarios.map((scenario) => scenario.page));
  if (!run)
    return (
      `LAB ${lab.page}/${pages} (Tab)${pageNote(lab)}  ` +
      `${keys[0]}-${keys.at(-1)} start · ×N: [ ] c m · r run · l hide`
    );
  if (run.scenarioId === COMMAND_RUN_ID) {
    const phase = run.phase === 'running' ? `${run.elapsedSeconds.toFixed(0)} s · x stop · o output` : `${run.phase}…`;
    return `RUN  ${run.title} · ${phase}`;
  }
  const runKeys = 'x stop · [ ] c m · g map';
  const phase = run.phase === 'running' ? `${run.elapsedSeconds.toFixed(0)} s · ${runKeys}` : `${run.phase}…`;
  return `LAB  ${run.title} · ${run.workers} worker${run.workers === 1 ? '' : 's'} · ${phase}`;
}

/** On the Python page: which Python, and whether it has a GIL at all. */
function pageNote(lab: LabState): string {
  const engines = lab.scenarios.filter((scenario) => scenario.page === lab.page && scenario.engine);
  if (engines.length > 0) {
    const found = engines.map((scenario) => {
      const info = scenario.engine ? lab.engines[scenario.engine] : undefined;
      const name = scenario.engine === 'dask' ? 'Dask' : 'MPI';
      return `${name} ${info ? (info.available ? 'found' : 'missing') : '…'}`;
    });
    return ` · ${found.join(' · ')}`;
  }
  if (!lab.scenarios.some((scenario) => scenario.page === lab.page && scenario.runtime === 'python')) return '';
  if (!lab.python) return ' · looking for python3…';
  if (!lab.python.available) return ' · python3 unavailable';
  return lab.python.freeThreaded
    ? ` · Python ${lab.python.version}, free-threaded: NO GIL`
    : ` · Python ${lab.python.version}`;
}

/** The lab panel: a title bar, then as much as fits, the most useful first. */
export function labPanelLines(lab: LabState, width: number, height: number, theme: Theme): string[] {
  const blocks: Block[] = [];
  if (lab.error) blocks.push({ text: lab.error, role: 'error' });
  if (lab.run) blocks.push(...runningBlocks(lab, lab.run));
  else {
    if (lab.result) blocks.push(...resultBlocks(lab.result));
    if (lab.calcAnswer) blocks.push({ text: `Calculator: ${lab.calcAnswer}`, role: 'info' });
    blocks.push(...scenarioBlocks(lab, lab.result !== null));
  }
  const room = height - 1;
  const linesOf = (block: Block, text: string): string[] =>
    block.clip ? [clipToWidth(text, width)] : wrapText(text, width);
  let kept = blocks.map((block) => ({ block, lines: linesOf(block, block.text) }));
  const count = (): number => kept.reduce((sum, entry) => sum + entry.lines.length, 0);
  // First drop optional blocks, last first; then say the rest more briefly, last first, until it fits.
  for (let index = kept.length - 1; index >= 0 && count() > room; index -= 1) {
    if (kept[index]?.block.optional) kept = kept.filter((_, position) => position !== index);
  }
  for (let index = kept.length - 1; index >= 0 && count() > room; index -= 1) {
    const entry = kept[index];
    for (const text of entry?.block.shorter ?? []) {
      if (!entry || count() <= room) break;
      entry.lines = linesOf(entry.block, text);
    }
  }
  const body = kept.flatMap(({ block, lines }) =>
    lines.map((line) => (block.role ? theme.paint(escapeTags(line), block.role) : escapeTags(line))),
  );
  const title = headerText(lab);
  return [theme.paint(cell(title, width), 'table-header'), ...body.slice(0, room)];
}
