import type { HostSample } from './host-sample.js';
import { EMPTY_CURSOR, type ListCursor } from './selection.js';

/** Readings of a host's busy share kept for its history strip. */
export const HOST_HISTORY_LENGTH = 30;

/** The hosts view: the latest round, a short history per host, and where the user is in the list. */
export interface HostsState {
  /** Where the hosts come from, for the title: "3 exporters", "Prometheus at ...". */
  sourceLabel: string;
  /** A scrape slower than this is called slow (it still counts as up). */
  slowMs: number;
  /** The hosts view is on screen instead of this machine's processes. */
  shown: boolean;
  /** Busiest first (sortedHosts). */
  hosts: HostSample[];
  /** ms since the epoch of the latest round; null before the first. */
  at: number | null;
  /** Each host's busy share (% of all its cores) over the last rounds, oldest first, by hostKey. */
  history: ReadonlyMap<string, readonly number[]>;
  /** A number for each host ever seen, so the list cursor can follow one as the order changes. */
  ids: ReadonlyMap<string, number>;
  cursor: ListCursor;
  /** The host (its key) whose cores and processes fill the table; null for the list. */
  open: string | null;
}

export function initialHostsState(sourceLabel: string, slowMs: number): HostsState {
  return {
    sourceLabel,
    slowMs,
    shown: false,
    hosts: [],
    at: null,
    history: new Map(),
    ids: new Map(),
    cursor: EMPTY_CURSOR,
    open: null,
  };
}

/** What names one host across rounds. */
export function hostKey(host: HostSample): string {
  return `${host.source}\u0000${host.host}`;
}

/** A host's busy share, % of all its cores together; null before rates exist or when down. */
export function hostLoad(host: HostSample): number | null {
  if (!host.up || !host.cores || host.cores.length === 0) return null;
  let total = 0;
  for (const core of host.cores) total += core.total;
  return total / host.cores.length;
}

export type HostHealth = 'up' | 'slow' | 'down';

export function hostHealth(host: HostSample, slowMs: number): HostHealth {
  if (!host.up) return 'down';
  return host.scrapeMs !== null && host.scrapeMs > slowMs ? 'slow' : 'up';
}

/** Busiest first; hosts without a figure (down, or not yet two readings) after them, by name. Pure. */
export function sortedHosts(hosts: readonly HostSample[]): HostSample[] {
  return [...hosts].sort((a, b) => {
    const loadA = hostLoad(a);
    const loadB = hostLoad(b);
    if (loadA !== null && loadB !== null && loadA !== loadB) return loadB - loadA;
    if ((loadA === null) !== (loadB === null)) return loadA === null ? 1 : -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** The list's ids, in view order, for the cursor. */
export function hostIds(state: HostsState): number[] {
  return state.hosts.map((host) => state.ids.get(hostKey(host)) ?? -1);
}

/** The host under the cursor, if any. */
export function selectedHost(state: HostsState): HostSample | null {
  const id = state.cursor.selectedId;
  return state.hosts.find((host) => state.ids.get(hostKey(host)) === id) ?? null;
}

/** The host whose detail is open, as the latest round has it. */
export function openHost(state: HostsState): HostSample | null {
  return state.open === null ? null : (state.hosts.find((host) => hostKey(host) === state.open) ?? null);
}

/** A new round: hosts in view order, each with one more reading of history, new ones numbered. */
export function withRound(state: HostsState, hosts: readonly HostSample[], at: number): HostsState {
  const history = new Map<string, readonly number[]>();
  const ids = new Map(state.ids);
  for (const host of hosts) {
    const key = hostKey(host);
    if (!ids.has(key)) ids.set(key, ids.size);
    const load = hostLoad(host);
    const before = state.history.get(key) ?? [];
    history.set(key, load === null ? before : [...before, load].slice(-HOST_HISTORY_LENGTH));
  }
  return { ...state, hosts: sortedHosts(hosts), at, history, ids };
}

/** How many hosts are up and how many down, for the title. */
export function hostCounts(hosts: readonly HostSample[]): { up: number; down: number } {
  let up = 0;
  for (const host of hosts) if (host.up) up += 1;
  return { up, down: hosts.length - up };
}

/** Columns the compact map's row label takes (the rank of its first host). */
export const HOST_MAP_LABEL_WIDTH = 6;

/**
 * How the hosts fill the table's body: a summary line, then (when there are more hosts than rows)
 * a compact map with one cell per host, busiest first, then as many rows of the list as fit.
 */
export function hostsBodyLayout(
  count: number,
  width: number,
  height: number,
): { mapRows: number; cellsPerRow: number; listHeight: number } {
  const cellsPerRow = Math.max(1, width - HOST_MAP_LABEL_WIDTH);
  const room = Math.max(0, height - 1);
  // The map comes in only when the list cannot show every host; it takes at most half the room.
  const mapRows = count > room ? Math.min(Math.ceil(count / cellsPerRow), Math.floor(room / 2)) : 0;
  return { mapRows, cellsPerRow, listHeight: Math.max(1, room - mapRows) };
}
