import type { SortOrder } from '../model/process-table.js';

/** How the dashboard starts, from the command line. */
export interface DashboardSettings {
  intervalSeconds: number;
  readOnly: boolean;
  order: SortOrder;
  filter: string;
  tree: boolean;
  /** Show the lab panel from the start. */
  lab: boolean;
}
