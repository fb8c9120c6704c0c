import type { HostsChoice } from '../hosts/host-choice.js';
import type { HostSample } from '../model/host-sample.js';
import type { DashboardSettings } from './dashboard-settings.js';

/** The hosts view's source: one round every process-list interval, each handed to `onRound`. */
export interface DashboardHosts {
  /** Where the hosts come from, in words, for the view's summary. */
  label: string;
  /** A scrape slower than this is shown as slow: half the time a request may take. */
  slowMs: number;
  start(onRound: (hosts: HostSample[], at: number) => void): void;
  stop(): void;
}

/** Loaded only when other hosts are asked for, so the dashboard alone starts as fast as before. */
export async function createDashboardHosts(choice: HostsChoice, settings: DashboardSettings): Promise<DashboardHosts> {
  const [{ HostPoller }, { hostSources, hostsLabel }] = await Promise.all([
    import('../hosts/host-poller.js'),
    import('../hosts/host-choice.js'),
  ]);
  // Other hosts refresh with the process list: their processes are as costly to read as ours.
  const intervalMs = Math.max(settings.intervalSeconds, settings.processIntervalSeconds) * 1000;
  const poller = new HostPoller(hostSources(choice), { intervalMs });
  return {
    label: hostsLabel(choice),
    slowMs: poller.timeoutMs / 2,
    start: (onRound) => {
      poller.subscribe((round) => onRound(round.hosts, round.at));
      poller.start();
    },
    stop: () => void poller.stop(),
  };
}
