import { formatBytes, formatPercent } from '../model/format.js';
import { isWorkerHost } from '../model/worker-hosts.js';
import type { HostCoreUsage, HostProcessSample, HostSample } from '../model/host-sample.js';
import {
  HOST_MAP_LABEL_WIDTH,
  type HostsState,
  hostCounts,
  hostHealth,
  hostKey,
  hostLoad,
  hostsBodyLayout,
  openHost,
} from '../model/hosts-state.js';
import { planCoreGrid } from '../model/core-grid.js';
import type { CoreUsage } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';
import { heatCell, sparkline } from './bar.js';
import { coreMeterLines } from './core-meters.js';
import { cell, escapeTags, fitToWidth, untagged } from './text-fit.js';
import type { Theme } from './theme.js';

/** The list's fixed columns: title, width, alignment. CORES and HISTORY share what is left. */
const FIXED: [title: string, width: number, align: 'left' | 'right'][] = [
  ['HOST', 20, 'left'],
  ['STATE', 5, 'left'],
  ['SCRAPE', 7, 'right'],
  ['LOAD1', 6, 'right'],
  ['MEM%', 5, 'right'],
  ['CPU%', 6, 'right'],
];
const FIXED_WIDTH = FIXED.reduce((sum, [, width]) => sum + width + 1, 0);
const HISTORY_WIDTH = 12;

function stripWidths(width: number): { cores: number; history: number } {
  const rest = Math.max(0, width - FIXED_WIDTH);
  const history = rest >= 30 ? HISTORY_WIDTH : 0;
  return { cores: Math.max(0, rest - (history > 0 ? history + 1 : 0)), history };
}

/** One heat cell per core; where there are more cores than cells, each cell is its group's busiest. */
export function coreStrip(cores: readonly HostCoreUsage[], room: number, theme: Theme): string {
  const cells = Math.min(cores.length, Math.max(0, room));
  let strip = '';
  for (let index = 0; index < cells; index += 1) {
    const group = cores.slice(
      Math.floor((index * cores.length) / cells),
      Math.floor(((index + 1) * cores.length) / cells),
    );
    strip += heatCell(Math.max(...group.map((core) => core.total)), theme);
  }
  return strip;
}

export function hostsHeaderLine(hosts: HostsState, width: number, theme: Theme): string {
  if (openHost(hosts)) return theme.paint(cell('HOST DETAIL · Esc back to the hosts', width), 'table-header');
  const { cores, history } = stripWidths(width);
  const titles = FIXED.map(([title, columns, align]) => cell(title, columns, align));
  if (cores > 0) titles.push(cell('CORES', cores));
  if (history > 0) titles.push(cell('HISTORY', history, 'right'));
  return theme.paint(fitToWidth(titles.join(' '), width), 'table-header');
}

function memoryPercent(host: HostSample): number | null {
  const memory = host.memory;
  return memory && memory.totalBytes > 0 ? (memory.usedBytes / memory.totalBytes) * 100 : null;
}

function hostRow(
  host: HostSample,
  hosts: HostsState,
  width: number,
  theme: Theme,
  workerHosts: readonly string[],
): string {
  const health = hostHealth(host, hosts.slowMs);
  // A host the lab's grid runs on is marked, and lit, while the run lasts.
  const lit = isWorkerHost(host, workerHosts);
  const name = lit ? theme.paint(cell(`● ${toPrintable(host.name)}`, 20), 'info') : cell(toPrintable(host.name), 20);
  const state = theme.paint(cell(health, 5), health === 'down' ? 'error' : health === 'slow' ? 'paused' : 'user');
  if (health === 'down') {
    const reason = toPrintable(host.error ?? 'no answer');
    return `${name} ${state} ${cell(reason, Math.max(0, width - 27))}`;
  }
  const { cores, history } = stripWidths(width);
  const figures = [
    cell(host.scrapeMs === null ? '-' : `${Math.round(host.scrapeMs)}ms`, 7, 'right'),
    cell(host.loadAverage ? host.loadAverage[0].toFixed(2) : '-', 6, 'right'),
    cell(formatPercent(memoryPercent(host)), 5, 'right'),
    cell(formatPercent(hostLoad(host)), 6, 'right'),
  ];
  let line = `${name} ${state} ${figures.join(' ')}`;
  if (cores > 0) {
    const shown = Math.min(host.cores?.length ?? 0, cores);
    line += ` ${host.cores ? coreStrip(host.cores, cores, theme) : ''}${' '.repeat(cores - shown)}`;
  }
  if (history > 0) line += ` ${theme.paint(sparkline(hosts.history.get(hostKey(host)) ?? [], history), 'user')}`;
  return line;
}

/** The summary line, the compact map when there are more hosts than rows, and the list's visible rows. */
export function hostsBodyLines(
  hosts: HostsState,
  width: number,
  height: number,
  theme: Theme,
  workerHosts: readonly string[] = [],
): string[] {
  const { up, down } = hostCounts(hosts.hosts);
  const summary =
    hosts.at === null
      ? `Asking ${hosts.sourceLabel}…`
      : `${hosts.hosts.length} host${hosts.hosts.length === 1 ? '' : 's'}: ${up} up, ${down} down · ` +
        `${hosts.sourceLabel} · busiest first · Enter details · w this machine` +
        (workerHosts.length > 0 ? ' · ● the lab grid runs here' : '');
  const lines = [theme.paint(cell(toPrintable(summary), width), 'label')];
  const layout = hostsBodyLayout(hosts.hosts.length, width, height);
  for (let row = 0; row < layout.mapRows; row += 1) {
    const first = row * layout.cellsPerRow;
    const slice = hosts.hosts.slice(first, first + layout.cellsPerRow);
    const label = theme.paint(String(first + 1).padStart(HOST_MAP_LABEL_WIDTH - 1), 'label');
    const cells = slice.map((host) => (host.up ? heatCell(hostLoad(host), theme) : theme.paint('×', 'error')));
    lines.push(`${label} ${cells.join('')}`);
  }
  const { scrollTop, selectedId } = hosts.cursor;
  for (const host of hosts.hosts.slice(scrollTop, scrollTop + layout.listHeight)) {
    const text = hostRow(host, hosts, width, theme, workerHosts);
    lines.push(
      hosts.ids.get(hostKey(host)) === selectedId
        ? theme.paint(escapeTags(fitToWidth(untagged(text), width)), 'selected')
        : text,
    );
  }
  return lines;
}

/** A host's cores as meter data: where the source gives only the busy share, it shows as user time. */
function asCoreUsage(core: HostCoreUsage): CoreUsage {
  return {
    id: core.id,
    user: core.user ?? core.total,
    system: core.system ?? 0,
    iowait: core.iowait ?? 0,
    steal: core.steal ?? 0,
    idle: core.idle ?? Math.max(0, 100 - core.total),
    total: core.total,
  };
}

function processLine(process: HostProcessSample, width: number): string {
  const pid = process.pid === null ? `×${process.members ?? '?'}` : String(process.pid);
  const text = [
    fitToWidth(pid, 8, 'right'),
    fitToWidth(toPrintable(process.user ?? '-'), 10),
    fitToWidth(formatPercent(process.cpu), 6, 'right'),
    fitToWidth(process.rssBytes === null ? '-' : formatBytes(process.rssBytes), 6, 'right'),
    fitToWidth(process.threads === null ? '-' : String(process.threads), 4, 'right'),
    toPrintable(process.name),
  ].join(' ');
  return escapeTags(fitToWidth(text, width));
}

/** One host in full: what it is, every core as a meter, and its busiest processes where the source has them. */
export function hostDetailLines(
  host: HostSample,
  hosts: HostsState,
  width: number,
  height: number,
  theme: Theme,
): string[] {
  const health = hostHealth(host, hosts.slowMs);
  const facts = [
    toPrintable(host.name),
    host.name === host.host ? '' : toPrintable(host.host),
    health === 'down'
      ? `down: ${toPrintable(host.error ?? 'no answer')}`
      : `${health}, scraped in ${host.scrapeMs === null ? '-' : Math.round(host.scrapeMs)} ms`,
    host.cores
      ? `${host.cores.length} cores, ${formatPercent(hostLoad(host))}% busy`
      : 'cores: waiting for a second reading',
    host.loadAverage ? `load ${host.loadAverage.map((value) => value.toFixed(2)).join(' ')}` : '',
    host.memory ? `mem ${formatBytes(host.memory.usedBytes)}/${formatBytes(host.memory.totalBytes)}` : '',
  ].filter((part) => part.length > 0);
  const lines = [theme.paint(cell(facts.join(' · '), width), 'label')];
  const cores = host.cores ?? [];
  if (cores.length > 0) {
    const grid = planCoreGrid(cores.length, width, Math.max(1, Math.floor((height - 1) / 2)));
    const ids = cores.map((core) => core.id);
    lines.push(...coreMeterLines(ids, cores.map(asCoreUsage), [], grid, theme));
  }
  lines.push('');
  if (!host.processes) {
    lines.push(
      escapeTags(
        fitToWidth(
          'No processes from this source: node_exporter has none; ' +
            'process-exporter or paratop serve on the host adds them.',
          width,
        ),
      ),
    );
    return lines.slice(0, height);
  }
  lines.push(theme.paint(cell('     PID USER         CPU%    RSS  THR NAME', width), 'table-header'));
  const busiest = [...host.processes].sort((a, b) => (b.cpu ?? -1) - (a.cpu ?? -1));
  for (const process of busiest.slice(0, Math.max(0, height - lines.length))) lines.push(processLine(process, width));
  return lines.slice(0, height);
}
