import type { DashboardState } from '../model/dashboard-state.js';
import type { HostSample } from '../model/host-sample.js';
import {
  type HostsState,
  hostIds,
  hostKey,
  hostsBodyLayout,
  openHost,
  selectedHost,
  withRound,
} from '../model/hosts-state.js';
import { layoutFor } from '../model/screen-layout.js';
import { moveCursor, moveCursorTo, settleCursor } from '../model/selection.js';
import type { Action } from './actions.js';
import { say } from './status-line.js';

/** Rows of the host list on screen now (the summary and the compact map take the rest). */
function listHeight(state: DashboardState, hosts: HostsState): number {
  const body = layoutFor(state).tableBody;
  return hostsBodyLayout(hosts.hosts.length, body.width, body.height).listHeight;
}

function withHosts(state: DashboardState, hosts: HostsState): DashboardState {
  return { ...state, hosts };
}

/** Re-anchor the host cursor on the list as it is now. */
export function settleHosts(state: DashboardState): DashboardState {
  const hosts = state.hosts;
  if (!hosts) return state;
  return withHosts(state, { ...hosts, cursor: settleCursor(hosts.cursor, hostIds(hosts), listHeight(state, hosts)) });
}

/** A new round of the other hosts. */
export function hostsPolled(state: DashboardState, round: readonly HostSample[], at: number): DashboardState {
  if (!state.hosts) return state;
  return settleHosts(withHosts(state, withRound(state.hosts, round, at)));
}

/**
 * The keys that act on the hosts view while it is shown: moving, Enter for a host's detail, Esc
 * back. Null for an action that is not the hosts view's to take.
 */
export function applyHostsAction(state: DashboardState, action: Action): DashboardState | null {
  const hosts = state.hosts;
  if (action.type === 'hosts-toggle') {
    if (!hosts)
      return say(state, 'No other hosts: start paratop with --hosts HOST:PORT,... or --prometheus URL.', 'error');
    return settleHosts(withHosts(state, { ...hosts, shown: !hosts.shown, open: null }));
  }
  if (!hosts?.shown || state.mode.kind !== 'normal') return null;
  const height = listHeight(state, hosts);
  const ids = hostIds(hosts);
  switch (action.type) {
    case 'move':
      return withHosts(state, { ...hosts, cursor: moveCursor(hosts.cursor, ids, action.move, height) });
    case 'scroll': {
      const settled = settleCursor(hosts.cursor, ids, height);
      return withHosts(state, { ...hosts, cursor: moveCursorTo(settled, ids, settled.index + action.rows, height) });
    }
    case 'threads-toggle': {
      if (hosts.open !== null) return withHosts(state, { ...hosts, open: null });
      const host = selectedHost(hosts);
      return host ? withHosts(state, { ...hosts, open: hostKey(host) }) : state;
    }
    case 'back':
      if (hosts.open !== null) return withHosts(state, { ...hosts, open: null });
      return withHosts(state, { ...hosts, shown: false });
    case 'kill-open':
    case 'sort-step':
    case 'sort-invert':
    case 'sort-by':
    case 'toggle-tree':
      return say(
        state,
        "The hosts view is read-only and sorted busiest first; w goes back to this machine's processes.",
      );
    default:
      return null;
  }
}

/** The host whose detail is shown, if the view is on one and it is still in the latest round. */
export function shownHost(state: DashboardState): HostSample | null {
  return state.hosts?.shown ? openHost(state.hosts) : null;
}
