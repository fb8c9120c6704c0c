import type { ListenAddress } from './listen-address.js';
import type { ExportChoices } from './metric-family.js';
import type { WebConfig } from './web-config.js';

/** An exporter as the command line asked for it (serve, or the dashboard's --export). */
export interface ExportSettings {
  listen: ListenAddress;
  webConfig: WebConfig | null;
  choices: ExportChoices;
}

/** The top 50 processes by CPU: enough for a busy machine's story, few enough for Prometheus's memory. */
export const DEFAULT_EXPORT_PROCESSES = 50;
