import type { ExportSettings } from '../export/export-settings.js';
import type { HostsChoice } from '../hosts/host-choice.js';
import type { CommandRequest } from '../lab/command-line.js';
import type { SortOrder } from '../model/process-table.js';

/** How the dashboard starts, from the command line. */
export interface DashboardSettings {
  intervalSeconds: number;
  /** How often the process list is re-read; never more often than the meters. */
  processIntervalSeconds: number;
  readOnly: boolean;
  order: SortOrder;
  filter: string;
  tree: boolean;
  /** --record FILE: write what the dashboard sees to FILE (gzip when it ends in .gz). */
  record?: string;
  /** Show the lab panel from the start. */
  lab: boolean;
  /** Other hosts to watch in the hosts view (w): --hosts, --hosts-file, --prometheus. */
  hosts?: HostsChoice;
  /** `paratop run`: the command to start and follow as soon as the dashboard is up. */
  command?: CommandRequest;
  /** --export: serve the figures to Prometheus while the dashboard runs. */
  export?: ExportSettings;
}
