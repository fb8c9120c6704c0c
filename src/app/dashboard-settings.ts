import type { ExportSettings } from '../export/export-settings.js';
import type { HostsChoice } from '../hosts/host-choice.js';
import type { CommandRequest } from '../lab/command-line.js';
import type { ColumnKey } from '../model/columns.js';
import type { DashboardState } from '../model/dashboard-state.js';
import type { SortOrder } from '../model/process-table.js';

/** What the user may change with keys and have kept in the settings file when they quit. */
export interface PersistedSettings {
  intervalSeconds: number;
  order: SortOrder;
  tree: boolean;
  /** The CORE and WAIT% columns (e): always, never, or null for "while the lab runs". */
  schedulingColumns: boolean | null;
  labVisible: boolean;
}

/** The settings file behind this session: named on the help screen, its problems on the status line. */
export interface SettingsFile {
  /** The file in use, in words. */
  label: string;
  /** One line per problem, "FILE:LINE: KEY: what is wrong". */
  problems: string[];
  /** Writes back what changed since the start; a note when the file is left as it was. */
  save(end: PersistedSettings): Promise<string | null>;
}

/** How the dashboard starts, from the command line and the settings file. */
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
  /** Table columns the settings file hides. */
  hiddenColumns: ColumnKey[];
  /** The CORE and WAIT% columns at the start: always, or null for "while the lab runs". */
  schedulingColumns: boolean | null;
  /** mono: attributes only, as NO_COLOR gives. */
  theme: 'default' | 'mono';
  settingsFile?: SettingsFile;
  /** Other hosts to watch in the hosts view (w): --hosts, --hosts-file, --prometheus. */
  hosts?: HostsChoice;
  /** `paratop run`: the command to start and follow as soon as the dashboard is up. */
  command?: CommandRequest;
  /** Where the export address came from, for a message when it cannot be bound (default --export). */
  exportFrom?: string;
  /** --export: serve the figures to Prometheus while the dashboard runs. */
  export?: ExportSettings;
}

/** What the settings file keeps of a session's state. */
export function persistedSettings(state: DashboardState): PersistedSettings {
  return {
    intervalSeconds: state.intervalMs / 1000,
    order: state.order,
    tree: state.tree,
    schedulingColumns: state.schedulingColumns,
    labVisible: state.lab.visible,
  };
}
