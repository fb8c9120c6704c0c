import type { DashboardState } from '../model/dashboard-state.js';
import { formatBytes, formatPercent, formatUptime } from '../model/format.js';
import {
  cacheSummary,
  compactCacheSummary,
  compactCoreSummary,
  compactOsName,
  coreSummary,
} from '../model/machine-summary.js';
import { processScanEveryMs } from '../model/scan-cadence.js';
import type { Theme } from './theme.js';
import { cell, displayWidth, escapeTags, fitToWidth } from './text-fit.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2)}s`;
}

/** How often the meters are read, and the process list when that is slower. */
function refreshText(state: DashboardState): string {
  const processesEvery = processScanEveryMs(state);
  return processesEvery === state.intervalMs
    ? `every ${seconds(state.intervalMs)}`
    : `every ${seconds(state.intervalMs)}, processes ${seconds(processesEvery)}`;
}

/** Top line: who and where, how long up, how loaded, how often paratop looks, and paratop's own cost. */
export function headerLine(state: DashboardState, width: number, theme: Theme): string {
  const system = state.system;
  const host = state.facts?.hostname ?? '';
  const load = system ? system.loadAverage.map((value) => value.toFixed(2)).join(' ') : '';
  const left = [
    host,
    system ? `up ${formatUptime(system.uptimeSeconds)}` : '',
    load ? `load ${load}` : '',
    refreshText(state),
  ]
    .filter(Boolean)
    .join('  ');
  const right = state.replay
    ? 'replay: nothing here is live'
    : `pid ${state.selfPid} · cpu ${formatPercent(state.selfCpu)}%`;
  const badge = state.paused ? ' PAUSED ' : '';
  const title = 'paratop ';
  const room = width - title.length - displayWidth(badge) - right.length - 1;
  const middle = fitToWidth(left, Math.max(0, room));
  return (
    theme.paint(title, 'title') +
    escapeTags(middle) +
    (badge ? theme.paint(badge, 'paused') : '') +
    ' ' +
    theme.paint(escapeTags(right), 'dim')
  );
}

/** Second line: the lecture's first question answered (cores, caches, memory) from the OS. */
export function factsLine(state: DashboardState, width: number, theme: Theme): string {
  const facts = state.facts;
  if (!facts)
    return theme.paint(
      cell(state.factsFailed ? 'machine facts could not be read' : 'reading machine facts…', width),
      'dim',
    );
  const memory = `${formatBytes(facts.memoryBytes)} RAM`;
  // Longest first; the first that fits is shown, so a narrow terminal still gets every fact.
  const candidates = [
    [facts.cpuModel, coreSummary(facts), memory, cacheSummary(facts.caches), facts.os],
    [facts.cpuModel, compactCoreSummary(facts), memory, cacheSummary(facts.caches), compactOsName(facts.os)],
    [facts.cpuModel, compactCoreSummary(facts), memory, compactCacheSummary(facts.caches), compactOsName(facts.os)],
  ].map((parts) => parts.filter(Boolean).join(' · '));
  return cell(candidates.find((line) => displayWidth(line) <= width) ?? candidates.at(-1) ?? '', width);
}
