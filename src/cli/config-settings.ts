import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { PersistedSettings } from '../app/dashboard-settings.js';
import type { ListenAddress } from '../export/listen-address.js';
import type { WebConfig } from '../export/web-config.js';
import type { HostTarget } from '../hosts/host-target.js';
import { COLUMNS, type ColumnKey, SCHEDULING_COLUMNS } from '../model/columns.js';
import { type ConfigFile, type ConfigProblem, writeConfigChanges } from './config-file.js';
import { readHostsFile } from './hosts-file.js';
import {
  parseChoice,
  parseColumn,
  parseHostList,
  parseIntervalSeconds,
  parseListen,
  parsePositiveInteger,
  parsePrometheusSelector,
  parsePrometheusUrl,
  parseWebConfigFile,
} from './option-parsers.js';
import { isPlainObject } from '../model/is-plain-object.js';
import { messageOf } from '../model/error-message.js';

export const THEMES = ['default', 'mono'] as const;
export const SCHEDULING_CHOICES = ['auto', 'always', 'never'] as const;
export type SchedulingChoice = (typeof SCHEDULING_CHOICES)[number];
export type ThemeName = (typeof THEMES)[number];

/** What the settings file may set, under the names of the command-line flags it stands in for. */
export interface ConfigValues {
  interval?: number;
  processInterval?: number;
  sort?: ColumnKey;
  sortDescending?: boolean;
  tree?: boolean;
  columns?: ColumnKey[];
  schedulingColumns?: SchedulingChoice;
  lab?: boolean;
  readOnly?: boolean;
  theme?: ThemeName;
  hosts?: HostTarget[];
  hostsFile?: HostTarget[];
  prometheus?: string;
  prometheusSelector?: string;
  export?: ListenAddress;
  exportProcesses?: number;
  exportCmdline?: boolean;
  webConfig?: WebConfig;
}

type TomlKind = 'number' | 'integer' | 'string' | 'boolean' | 'strings';

interface Field {
  /** "table.key" in the file */
  path: string;
  kind: TomlKind;
  flag: keyof ConfigValues;
  /** The same parser as the command line's, so the file and the flags accept the same values. */
  parse(value: unknown, folder: string): unknown;
}

const text = (value: unknown): string => String(value);
const inFolder = (value: unknown, folder: string): string => resolve(folder, String(value));

/** Every key the file may hold; README "Settings" documents them. */
export const CONFIG_FIELDS: readonly Field[] = [
  { path: 'dashboard.interval', kind: 'number', flag: 'interval', parse: (v) => parseIntervalSeconds(text(v)) },
  {
    path: 'dashboard.process_interval',
    kind: 'number',
    flag: 'processInterval',
    parse: (v) => parseIntervalSeconds(text(v)),
  },
  { path: 'dashboard.sort', kind: 'string', flag: 'sort', parse: (v) => parseColumn(text(v)) },
  { path: 'dashboard.sort_descending', kind: 'boolean', flag: 'sortDescending', parse: (v) => v },
  { path: 'dashboard.tree', kind: 'boolean', flag: 'tree', parse: (v) => v },
  { path: 'dashboard.columns', kind: 'strings', flag: 'columns', parse: (v) => parseColumns(v as string[]) },
  {
    path: 'dashboard.scheduling_columns',
    kind: 'string',
    flag: 'schedulingColumns',
    parse: (v) => parseChoice(SCHEDULING_CHOICES)(text(v)),
  },
  { path: 'dashboard.lab_panel', kind: 'boolean', flag: 'lab', parse: (v) => v },
  { path: 'dashboard.read_only', kind: 'boolean', flag: 'readOnly', parse: (v) => v },
  { path: 'dashboard.theme', kind: 'string', flag: 'theme', parse: (v) => parseChoice(THEMES)(text(v)) },
  { path: 'hosts.targets', kind: 'strings', flag: 'hosts', parse: (v) => parseHostList((v as string[]).join(',')) },
  { path: 'hosts.file', kind: 'string', flag: 'hostsFile', parse: (v, folder) => readHostsFile(inFolder(v, folder)) },
  { path: 'hosts.prometheus', kind: 'string', flag: 'prometheus', parse: (v) => parsePrometheusUrl(text(v)) },
  {
    path: 'hosts.prometheus_selector',
    kind: 'string',
    flag: 'prometheusSelector',
    parse: (v) => parsePrometheusSelector(text(v)),
  },
  { path: 'export.listen', kind: 'string', flag: 'export', parse: (v) => parseListen(text(v)) },
  {
    path: 'export.processes',
    kind: 'integer',
    flag: 'exportProcesses',
    parse: (v) => parsePositiveInteger(text(v), 100_000),
  },
  { path: 'export.cmdline', kind: 'boolean', flag: 'exportCmdline', parse: (v) => v },
  {
    path: 'export.web_config',
    kind: 'string',
    flag: 'webConfig',
    parse: (v, folder) => parseWebConfigFile(inFolder(v, folder)),
  },
];

const TABLES = [...new Set(CONFIG_FIELDS.map((field) => field.path.split('.')[0] ?? ''))];

function parseColumns(names: readonly string[]): ColumnKey[] {
  const keys = names.map((name) => parseColumn(name));
  if (keys.length === 0) throw new Error('It must name at least one column.');
  return [...new Set(keys)];
}

const KIND_WORDS: Record<TomlKind, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string in quotes',
  boolean: 'true or false',
  strings: 'a list of strings, such as ["a", "b"]',
};

function hasKind(value: unknown, kind: TomlKind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

// TOML dates are objects too: a table is a plain object that is not one.
const isTable = (value: unknown): value is Record<string, unknown> => isPlainObject(value) && !(value instanceof Date);

const shown = (value: unknown): string => {
  const json = typeof value === 'bigint' ? String(value) : JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
};

/** The settings the file gives, each checked as its flag would be; what is wrong is a problem, never fatal. */
export function readConfigValues(file: ConfigFile): { values: ConfigValues; problems: ConfigProblem[] } {
  const problems = [...file.problems];
  const values: ConfigValues = {};
  const data = file.data ?? {};
  const folder = file.path ? dirname(file.path) : process.cwd();
  const problem = (key: string, message: string, value?: unknown): void => {
    const line = file.keyLines.get(key) ?? null;
    problems.push({ line, key, message, ...(value === undefined ? {} : { value: shown(value) }) });
  };
  for (const [table, inner] of Object.entries(data)) {
    if (!TABLES.includes(table)) {
      problem(
        table,
        `unknown ${isTable(inner) ? 'table' : 'key'}; the tables are ${TABLES.map((t) => `[${t}]`).join(', ')}`,
      );
      continue;
    }
    if (!isTable(inner)) {
      problem(table, `it must be a table: [${table}] on a line of its own, its keys below`);
      continue;
    }
    for (const [key, value] of Object.entries(inner)) {
      const path = `${table}.${key}`;
      const field = CONFIG_FIELDS.find((candidate) => candidate.path === path);
      if (!field) {
        const keys = CONFIG_FIELDS.filter((candidate) => candidate.path.startsWith(`${table}.`));
        problem(
          path,
          `unknown key; [${table}] takes ${keys.map((candidate) => candidate.path.slice(table.length + 1)).join(', ')}`,
        );
        continue;
      }
      if (!hasKind(value, field.kind)) {
        problem(path, `it must be ${KIND_WORDS[field.kind]}; default used`, value);
        continue;
      }
      try {
        Object.assign(values, { [field.flag]: field.parse(value, folder) });
      } catch (error) {
        const reason = messageOf(error).replace(/\.$/, '');
        problem(path, `${reason.charAt(0).toLowerCase()}${reason.slice(1)}; default used`, value);
      }
    }
  }
  // Without an address there is no exporter for these to apply to; on the command line that is exit 2.
  if (values.export === undefined)
    for (const [flag, key] of [
      ['webConfig', 'export.web_config'],
      ['exportCmdline', 'export.cmdline'],
    ] as const)
      if (values[flag] !== undefined) {
        delete values[flag];
        problem(key, 'applies to the exporter: set export.listen too; ignored');
      }
  return { values, problems };
}

const HOST_FLAGS = ['hosts', 'hostsFile', 'prometheus', 'prometheusSelector'];

/**
 * Options given on the command line win over the file, flag by flag; any host option replaces the
 * file's hosts as a whole, and --sort its sort_descending.
 */
export function withConfigValues<T extends object>(
  flags: T,
  given: (flag: string) => boolean,
  values: ConfigValues,
): T {
  const merged: Record<string, unknown> = { ...(flags as Record<string, unknown>) };
  const hostsGiven = HOST_FLAGS.some(given);
  for (const [flag, value] of Object.entries(values)) {
    if (value === undefined || (HOST_FLAGS.includes(flag) ? hostsGiven : given(flag))) continue;
    merged[flag] = value;
  }
  if (given('sort')) delete merged.sortDescending;
  return merged as T;
}

/** "FILE:LINE: KEY: what is wrong", one line each, for the status line and stderr. */
export function problemLine(file: ConfigFile, problem: ConfigProblem, home = homedir()): string {
  const path = file.path?.startsWith(`${home}/`) && home !== '/' ? `~${file.path.slice(home.length)}` : file.path;
  const where = [path ?? 'settings', problem.line === null ? null : String(problem.line)].filter(Boolean).join(':');
  const key = problem.key ? `${problem.key}${problem.value === undefined ? '' : ` = ${problem.value}`}: ` : '';
  return `${where}: ${key}${problem.message}`;
}

/** The columns a table shows by default: all but the scheduling ones, which show while the lab runs. */
export const DEFAULT_COLUMNS: readonly ColumnKey[] = COLUMNS.map((column) => column.key).filter(
  (key) => !SCHEDULING_COLUMNS.includes(key),
);

/**
 * What the dashboard starts with: the columns `columns` leaves out hidden; CORE and WAIT% as
 * scheduling_columns says, else always when `columns` lists them and while the lab runs when not.
 */
export function columnChoice(
  columns: readonly ColumnKey[] | undefined,
  scheduling: SchedulingChoice | undefined = undefined,
): {
  hiddenColumns: ColumnKey[];
  schedulingColumns: boolean | null;
} {
  const hiddenColumns = columns ? DEFAULT_COLUMNS.filter((key) => !columns.includes(key)) : [];
  if (scheduling === 'always') return { hiddenColumns, schedulingColumns: true };
  if (scheduling === 'never') return { hiddenColumns, schedulingColumns: false };
  const listed = columns !== undefined && SCHEDULING_COLUMNS.some((key) => columns.includes(key));
  return { hiddenColumns, schedulingColumns: scheduling === undefined && listed ? true : null };
}

/**
 * The file's changes for what the user changed with keys since the session began: only those keys are
 * written, so a setting given on the command line is not made permanent by being in force.
 */
export function configChanges(start: PersistedSettings, end: PersistedSettings): Map<string, unknown> {
  const changes = new Map<string, unknown>();
  // The dashboard keeps whole milliseconds: 0.1234 on the command line runs as 0.123, unchanged.
  if (Math.round(end.intervalSeconds * 1000) !== Math.round(start.intervalSeconds * 1000))
    changes.set('dashboard.interval', end.intervalSeconds);
  if (end.order.key !== start.order.key || end.order.descending !== start.order.descending) {
    changes.set('dashboard.sort', end.order.key);
    changes.set('dashboard.sort_descending', end.order.descending);
  }
  if (end.tree !== start.tree) changes.set('dashboard.tree', end.tree);
  if (end.labVisible !== start.labVisible) changes.set('dashboard.lab_panel', end.labVisible);
  if (end.schedulingColumns !== start.schedulingColumns) {
    const choice = end.schedulingColumns === true ? 'always' : end.schedulingColumns === false ? 'never' : 'auto';
    changes.set('dashboard.scheduling_columns', choice);
  }
  return changes;
}

/** Saves what changed; a note (never a throw) when the file cannot take it. */
export function saveChanges(
  file: ConfigFile,
  start: PersistedSettings,
  end: PersistedSettings,
): Promise<string | null> {
  return writeConfigChanges(file, configChanges(start, end));
}
