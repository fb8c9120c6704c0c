import { effectiveCoreCount } from '../sampler/cpu-limits.js';
import { Command, CommanderError, Option } from 'commander';
import { type ColumnKey, columnFor } from '../model/columns.js';
import type { SortOrder } from '../model/process-table.js';
import { createSampler, type SamplerChoice } from '../sampler/create-sampler.js';
import type { Sampler } from '../sampler/sampler.js';
import type { DashboardSettings } from '../app/dashboard-settings.js';
import type { CalcFlags } from './commands/calc.js';
import type { LabRunFlags } from './commands/lab.js';
import type { CommandRequest } from '../lab/command-line.js';
import { ExportListenError } from '../export/export-error.js';
import { DEFAULT_EXPORT_PROCESSES, type ExportSettings } from '../export/export-settings.js';
import { DEFAULT_LISTEN, type ListenAddress, parseListenAddress, wildcardWarning } from '../export/listen-address.js';
import type { WebConfig } from '../export/web-config.js';
import type { HostTarget } from '../hosts/host-target.js';
import type { HostsChoice } from '../hosts/host-choice.js';
import { readHostsFile } from './hosts-file.js';
import { checkMpiHostfile } from './mpi-hostfile.js';
import { DEFAULT_MATRIX_SIZE, GRID_ENGINES, MAX_MATRIX_SIZE } from '../model/lab-types.js';
import {
  parseChoice,
  parseColumn,
  parseConfigPath,
  parseDeadline,
  parseGrid,
  parseHostList,
  parseIntervalSeconds,
  parseListen,
  parsePositiveInteger,
  parsePositiveNumber,
  parsePrometheusSelector,
  parsePrometheusUrl,
  parseSchedulerAddress,
  parseSeconds,
  parseWebConfigFile,
  parseWholeNumber,
} from './option-parsers.js';
import { readPackageVersion } from './package-info.js';
import { type ConfigFile, configLabel, loadConfigFile } from './config-file.js';
import {
  type ConfigValues,
  columnChoice,
  problemLine,
  readConfigValues,
  saveChanges,
  type SchedulingChoice,
  type ThemeName,
  withConfigValues,
} from './config-settings.js';
import type { Recording } from '../model/recording.js';
import { RecordingFileError } from '../app/recording-file.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './usage-error.js';

interface DashboardFlags extends HostsFlags, ConfigFlags {
  interval: number;
  processInterval: number;
  readOnly?: boolean;
  sort: ColumnKey;
  filter: string;
  tree?: boolean;
  lab: boolean;
  export?: ListenAddress;
  webConfig?: WebConfig;
  exportProcesses: number;
  exportCmdline?: boolean;
  /** From the settings file only. */
  sortDescending?: boolean;
  columns?: ColumnKey[];
  schedulingColumns?: SchedulingChoice;
  theme?: ThemeName;
  record?: string;
}

/** --config FILE, --no-config: on the program and on the commands that read the file. */
interface ConfigFlags {
  config?: string | false;
}

function addConfigOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--config <file>', 'settings file (default $XDG_CONFIG_HOME/paratop/config.toml)').argParser(
        parseConfigPath,
      ),
    )
    .addOption(new Option('--no-config', 'ignore the settings file: defaults and options only'));
}

/** The settings file and what it sets; its problems go to stderr for headless commands. */
async function readSettingsFile(choice: string | false | undefined): Promise<{
  file: ConfigFile;
  values: ConfigValues;
  problems: string[];
}> {
  const file = await loadConfigFile(choice);
  const { values, problems } = readConfigValues(file);
  return { file, values, problems: problems.map((problem) => problemLine(file, problem)) };
}

/** The exporter's options, shared by `serve` and the dashboard's --export. */
interface ExportFlags {
  webConfig?: WebConfig;
  exportProcesses: number;
  exportCmdline?: boolean;
}

const webConfigOption = (): Option =>
  new Option(
    '--web-config <file>',
    'TLS and basic auth, in exporter-toolkit format (as node_exporter takes)',
  ).argParser(parseWebConfigFile);
const exportProcessesOption = (withDefault = true): Option => {
  const made = new Option(
    '--export-processes <n>',
    'export the top <n> processes by CPU, and every lab worker',
  ).argParser((value) => parsePositiveInteger(value, 100_000));
  return withDefault ? made.default(DEFAULT_EXPORT_PROCESSES) : made;
};
const exportCmdlineOption = (): Option =>
  new Option('--export-cmdline', 'export command lines as a label (they may hold passwords: off by default)');

function exportSettings(listen: ListenAddress, flags: ExportFlags): ExportSettings {
  const warning = wildcardWarning(listen, flags.webConfig !== undefined);
  if (warning) process.stderr.write(`paratop: warning: ${warning}\n`);
  return {
    listen,
    webConfig: flags.webConfig ?? null,
    choices: { processes: flags.exportProcesses, cmdline: flags.exportCmdline ?? false },
  };
}

/** The exporter binds before the screen opens: a port in use is a usage mistake, said plainly, exit 2. */
async function runDashboardChecked(hooks: ProgramHooks, sampler: Sampler, settings: DashboardSettings): Promise<void> {
  try {
    await hooks.runDashboard(sampler, settings);
  } catch (error) {
    if (error instanceof ExportListenError)
      throw new UsageError(`${settings.exportFrom ?? '--export'}: ${error.message}.`);
    if (error instanceof RecordingFileError) throw new UsageError(`--record: ${error.message}.`);
    throw error;
  }
}

/** The dashboard's options, on the program itself and again on `run` (where they come after `run`). */
function addDashboardOptions(command: Command, withDefaults: boolean): Command {
  const option = (flags: string, description: string, value?: unknown): Option => {
    const made = new Option(flags, description);
    return withDefaults && value !== undefined ? made.default(value) : made;
  };
  const withExport = command
    .addOption(
      option('--interval <seconds>', 'refresh interval of the meters, 0.1 to 3600', 1).argParser(parseIntervalSeconds),
    )
    .addOption(
      option(
        '--process-interval <seconds>',
        'how often the process list is re-read, 0.1 to 3600 (never more often than --interval)',
        2,
      ).argParser(parseIntervalSeconds),
    )
    .addOption(option('--read-only', 'disable killing processes and pinning them to cores'))
    .addOption(option('--no-read-only', 'allow them even where the settings file says read_only = true'))
    .addOption(
      option(
        '--sort <column>',
        'sort by pid, user, cpu, mem, rss, threads, state, core, wait, ctxsw or command',
        'cpu',
      ).argParser(parseColumn),
    )
    .addOption(option('--filter <text>', 'only processes whose name or command line holds <text>', ''))
    .addOption(option('--tree', 'start in tree view'))
    .addOption(option('--no-lab', 'start with the lab panel hidden (l shows it)'))
    .addOption(
      option('--export <address:port>', 'also serve the figures to Prometheus there (see paratop serve)').argParser(
        parseListen,
      ),
    )
    .addOption(webConfigOption())
    .addOption(exportProcessesOption(withDefaults))
    .addOption(exportCmdlineOption())
    .addOption(option('--record <file>', 'write what the dashboard sees to <file>, gzip if it ends in .gz'));
  return addConfigOptions(addHostsOptions(withExport));
}

/** The dashboard's settings: the file's, then the command line's over them. */
async function dashboardSettingsWithFile(
  flags: DashboardFlags,
  given: (flag: string) => boolean,
): Promise<DashboardSettings> {
  const { file, values, problems } = await readSettingsFile(flags.config);
  const merged = withConfigValues(flags, given, values);
  const settings = dashboardSettings(merged);
  const start = {
    intervalSeconds: settings.intervalSeconds,
    order: settings.order,
    tree: settings.tree,
    schedulingColumns: settings.schedulingColumns,
    labVisible: settings.lab,
  };
  const exportFromFile = values.export !== undefined && !given('export');
  return {
    ...settings,
    ...(exportFromFile ? { exportFrom: `export.listen in ${file.path}` } : {}),
    settingsFile: {
      label: configLabel(file),
      problems,
      save: (end) => saveChanges(file, start, end),
    },
  };
}

function dashboardSettings(flags: DashboardFlags): DashboardSettings {
  if (!flags.export && (flags.webConfig || flags.exportCmdline)) {
    throw new UsageError(
      `${flags.webConfig ? '--web-config' : '--export-cmdline'} applies to the exporter: ` +
        'give --export ADDRESS:PORT too.',
    );
  }
  const hosts = hostsChoice(flags);
  return {
    ...(flags.export ? { export: exportSettings(flags.export, flags) } : {}),
    ...(hosts ? { hosts } : {}),
    intervalSeconds: flags.interval,
    processIntervalSeconds: flags.processInterval,
    readOnly: flags.readOnly ?? false,
    order: { key: flags.sort, descending: flags.sortDescending ?? naturalOrder(flags.sort).descending },
    filter: flags.filter,
    tree: flags.tree ?? false,
    lab: flags.lab,
    ...columnChoice(flags.columns, flags.schedulingColumns),
    theme: flags.theme ?? 'default',
    ...(flags.record !== undefined ? { record: flags.record } : {}),
  };
}

/** The user's command, checked before anything starts: a bad one is a usage mistake (exit 2). */
async function checkedCommand(args: readonly string[], shell: boolean): Promise<CommandRequest> {
  const { runnableCommand } = await import('../lab/command-request.js');
  const { CommandLineError } = await import('../lab/command-line.js');
  try {
    return runnableCommand({ args, shell });
  } catch (error) {
    if (error instanceof CommandLineError) throw new UsageError(error.message);
    throw error;
  }
}

export interface ProgramHooks {
  /** Starts the full-screen dashboard; kept apart so the headless commands never load blessed. */
  runDashboard(sampler: Sampler, settings: DashboardSettings): Promise<void>;
  /** Opens the dashboard on a recording already read and checked. */
  runReplay(recording: Recording, file: string): Promise<void>;
}

interface SelectionFlags {
  sort: ColumnKey;
  filter: string;
  limit?: number;
}

function samplerChoice(): SamplerChoice {
  const value = process.env.PARATOP_SAMPLER ?? 'auto';
  if (value === 'auto' || value === 'linux' || value === 'fallback') return value;
  throw new UsageError(`PARATOP_SAMPLER is "${value}"; expected auto, linux or fallback.`);
}

const sortOption = (): Option =>
  new Option('--sort <column>', 'sort by pid, user, cpu, mem, rss, threads, state, core, wait, ctxsw or command')
    .default('cpu')
    .argParser(parseColumn);
const filterOption = (): Option =>
  new Option('--filter <text>', 'only processes whose name or command line holds <text>').default('');
const limitOption = (): Option =>
  new Option('--limit <n>', 'at most <n> processes (after sorting)').argParser((value) =>
    parsePositiveInteger(value, 1_000_000),
  );

function naturalOrder(key: ColumnKey): SortOrder {
  return { key, descending: columnFor(key).descendingFirst };
}

function selection(flags: SelectionFlags): { sort: SortOrder; filter: string; limit: number | null } {
  return { sort: naturalOrder(flags.sort), filter: flags.filter, limit: flags.limit ?? null };
}

interface HostsFlags {
  hosts?: HostTarget[];
  hostsFile?: HostTarget[];
  prometheus?: string;
  prometheusSelector?: string;
}

/** Other machines, for the dashboard, snapshot and watch: exporters to scrape, or a Prometheus server to ask. */
function addHostsOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--hosts <list>',
        "other hosts' exporters: HOST:PORT[,HOST:PORT...] (node_exporter, process-exporter, paratop)",
      ).argParser((value: string, previous?: HostTarget[]) => parseHostList(value, previous)),
    )
    .addOption(
      new Option('--hosts-file <file>', 'hosts to scrape, one HOST:PORT [name] a line, # comments').argParser(
        readHostsFile,
      ),
    )
    .addOption(
      new Option(
        '--prometheus <url>',
        'ask a Prometheus server for every host it scrapes (one per instance)',
      ).argParser(parsePrometheusUrl),
    )
    .addOption(
      new Option(
        '--prometheus-selector <matchers>',
        'only the instances these label matchers select, e.g. {job="lab"}',
      ).argParser(parsePrometheusSelector),
    );
}

/** The hosts asked for, or null for this machine (the commands' behaviour without these options). */
function hostsChoice(flags: HostsFlags): HostsChoice | null {
  if (flags.prometheusSelector !== undefined && flags.prometheus === undefined) {
    throw new UsageError('--prometheus-selector narrows --prometheus; give --prometheus URL too.');
  }
  const targets = [...(flags.hosts ?? []), ...(flags.hostsFile ?? [])];
  if (targets.length === 0 && flags.prometheus === undefined) return null;
  return { targets, prometheus: flags.prometheus ?? null, selector: flags.prometheusSelector ?? '' };
}

/** The dashboard draws on a terminal and reads keys from one; say what to use instead when there is none. */
function checkTerminal(): void {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError(
      'the dashboard needs a terminal, and ' +
        (process.stdout.isTTY ? 'stdin' : 'stdout') +
        ' is not one.\n' +
        'For scripts use `paratop snapshot --json` or `paratop watch --format ndjson` (see paratop --help).',
    );
  }
  if (process.env.TERM === 'dumb') {
    throw new UsageError(
      'TERM=dumb cannot draw a full-screen dashboard. Set TERM=xterm-256color, or use `paratop snapshot`.',
    );
  }
}

/** Each command's module is loaded when it runs, so the dashboard never carries the others. */
export function buildProgram(hooks: ProgramHooks): Command {
  const program = new Command('paratop')
    .enablePositionalOptions()
    .description(
      'A terminal activity monitor with a parallel-programming lab inside.\nWith no command, opens the dashboard.',
    )
    .version(readPackageVersion(), '-V, --version');
  addDashboardOptions(program, true)
    // Declared so an unknown command reaches the action and gets a clear message; the usage line
    // already names [command] for the sub-commands, so it is not listed a second time.
    .argument('[command]')
    .usage('[options] [command]')
    .showHelpAfterError('(run paratop --help for usage)')
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, 'paratop: ')),
    })
    .exitOverride()
    .action(async (command: string | undefined, flags: DashboardFlags) => {
      if (command !== undefined) {
        const known = program.commands.map((sub) => sub.name()).join(', ');
        throw new UsageError(`unknown command "${command}". Commands: ${known}.`);
      }
      const settings = await dashboardSettingsWithFile(flags, (flag) => program.getOptionValueSource(flag) === 'cli');
      checkTerminal();
      await runDashboardChecked(hooks, await createSampler(samplerChoice()), settings);
    });

  const run = program
    .command('run')
    .description(
      'open the dashboard with <command> started in the lab, its process tree followed ' +
        '(e.g. paratop run -- python3 0.py)',
    )
    .option('--shell', 'run the command line through /bin/sh (pipes, globs, &&)')
    .argument('<command...>', 'the program and its arguments, after --')
    .passThroughOptions();
  addDashboardOptions(run, false).action(async (args: string[], own: Partial<DashboardFlags> & { shell?: boolean }) => {
    const flags = {
      ...program.opts<DashboardFlags>(),
      ...Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined)),
    };
    const command = await checkedCommand(args, own.shell ?? false);
    const given = (flag: string): boolean =>
      run.getOptionValueSource(flag) === 'cli' || program.getOptionValueSource(flag) === 'cli';
    const settings = await dashboardSettingsWithFile(flags as DashboardFlags, given);
    checkTerminal();
    await runDashboardChecked(hooks, await createSampler(samplerChoice()), { ...settings, command });
  });

  const snapshot = program
    .command('snapshot')
    .description('one reading over about a second: cores, memory, processes')
    .option('--json', 'print JSON')
    .option('--csv', 'print processes as CSV')
    .addOption(
      new Option('--interval <seconds>', 'length of the measured window').default(1).argParser(parseIntervalSeconds),
    )
    .addOption(sortOption())
    .addOption(filterOption())
    .addOption(limitOption())
    .addOption(
      new Option('--threads <pid>', "also that process's threads: core, WAIT%, switches, migrations").argParser(
        (value) => parsePositiveInteger(value, 4_194_304),
      ),
    );
  addHostsOptions(snapshot).action(
    async (
      flags: SelectionFlags & HostsFlags & { json?: boolean; csv?: boolean; interval: number; threads?: number },
    ) => {
      if (flags.json && flags.csv) throw new UsageError('--json and --csv were both given; choose one.');
      if (flags.threads !== undefined && flags.csv)
        throw new UsageError('--threads gives a second table: use --json or the text output, not --csv.');
      const hosts = hostsChoice(flags);
      if (hosts) {
        if (flags.csv) throw new UsageError("--csv is for this machine's processes; with other hosts use --json.");
        const { runHostsSnapshot } = await import('./commands/hosts.js');
        await runHostsSnapshot({
          ...hosts,
          format: flags.json ? 'json' : 'text',
          intervalSeconds: flags.interval,
          limit: flags.limit ?? null,
        });
        return;
      }
      const format = flags.json ? 'json' : flags.csv ? 'csv' : 'text';
      const { runSnapshot } = await import('./commands/snapshot.js');
      await runSnapshot(await createSampler(samplerChoice()), {
        ...selection(flags),
        format,
        intervalSeconds: flags.interval,
        threadsOf: flags.threads ?? null,
      });
    },
  );

  const watch = program
    .command('watch')
    .description('a reading every interval, as NDJSON (one object per line) or CSV (one row per process)')
    .addOption(
      new Option('--format <format>', 'ndjson or csv')
        .default('ndjson')
        .argParser(parseChoice(['ndjson', 'csv'] as const)),
    )
    .addOption(
      new Option('--interval <seconds>', 'time between readings, 0.1 to 3600')
        .default(1)
        .argParser(parseIntervalSeconds),
    )
    .addOption(
      new Option('--count <n>', 'stop after <n> readings (default: until interrupted)').argParser((value) =>
        parsePositiveInteger(value),
      ),
    )
    .addOption(sortOption())
    .addOption(filterOption())
    .addOption(limitOption());
  addHostsOptions(watch).action(
    async (flags: SelectionFlags & HostsFlags & { format: 'ndjson' | 'csv'; interval: number; count?: number }) => {
      const hosts = hostsChoice(flags);
      if (hosts) {
        if (flags.format === 'csv')
          throw new UsageError("--format csv is for this machine's processes; other hosts are ndjson.");
        const { runHostsWatch } = await import('./commands/hosts.js');
        await runHostsWatch({
          ...hosts,
          intervalSeconds: flags.interval,
          count: flags.count ?? null,
          limit: flags.limit ?? null,
        });
        return;
      }
      const { runWatch } = await import('./commands/watch.js');
      await runWatch(await createSampler(samplerChoice()), {
        ...selection(flags),
        format: flags.format,
        intervalSeconds: flags.interval,
        count: flags.count ?? null,
      });
    },
  );

  program
    .command('record')
    .description('write what paratop sees to <file>, a sample a line (the watch format), until Ctrl-C or --seconds')
    .argument('<file>', 'the recording; gzip when it ends in .gz')
    .addOption(
      new Option('--seconds <s>', 'stop after <s> seconds (default: until interrupted)').argParser((value) =>
        parseSeconds(value, 0.1, 7 * 24 * 3600),
      ),
    )
    .addOption(
      new Option('--interval <seconds>', 'time between samples, 0.1 to 3600')
        .default(1)
        .argParser(parseIntervalSeconds),
    )
    .action(async (file: string, flags: { seconds?: number; interval: number }) => {
      const { runRecord } = await import('./commands/record.js');
      await runRecord(await createSampler(samplerChoice()), file, {
        intervalSeconds: flags.interval,
        seconds: flags.seconds ?? null,
      });
    });

  program
    .command('replay')
    .description('open the dashboard on a recording: Space pause, ← → step, + - speed; nothing can be signalled')
    .argument('<file>', 'a recording (paratop record, --record)')
    .action(async (file: string) => {
      const { loadRecording } = await import('./commands/load-recording.js');
      const recording = loadRecording(file);
      checkTerminal();
      await hooks.runReplay(recording, file);
    });

  program
    .command('export-trace')
    .description('a recording as a Chrome trace (Perfetto, chrome://tracing): a track per core and per worker')
    .argument('<file>', 'a recording (paratop record, --record, lab run --record)')
    .requiredOption('--out <file>', 'where to write the trace JSON')
    .action(async (file: string, flags: { out: string }) => {
      const { runExportTrace } = await import('./commands/export-trace.js');
      runExportTrace(file, flags.out);
    });

  const info = program
    .command('info')
    .description('the machine: CPU model, cores, caches, memory; the settings file in use')
    .option('--json', 'print JSON')
    .option('--measure', 'first time loads through working sets of growing size (memory-hierarchy, about 20 s)');
  addConfigOptions(info).action(async (flags: { json?: boolean; measure?: boolean } & ConfigFlags) => {
    const { file, problems } = await readSettingsFile(flags.config ?? program.opts<ConfigFlags>().config);
    const { runInfo } = await import('./commands/info.js');
    const settings = { file: file.path, exists: file.exists, label: configLabel(file), problems };
    process.exitCode = await runInfo(await createSampler(samplerChoice()), { ...flags, settings });
  });

  const lab = program.command('lab').description('the parallel-programming lab, without a screen');
  lab
    .command('list')
    .description('the experiments: id, key, title, kind, default workers')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const { runLabList } = await import('./commands/lab.js');
      await runLabList(flags, effectiveCoreCount());
    });
  lab
    .command('run')
    .description('run one experiment and print what it measured')
    .argument('<id>', 'experiment id (see paratop lab list)')
    .addOption(new Option('--workers <n>', 'threads or processes (sweep: up to how many)').argParser(parseWholeNumber))
    .addOption(
      new Option(
        '--seconds <s>',
        'how long to run; threads-join: each share of the job; compare-runtimes: the ' +
          'serial run; sweep and cache-sharing: each count; memory-hierarchy: about how ' +
          'long in all',
      ).argParser((value) => parseSeconds(value, 0.1, 3600)),
    )
    .addOption(
      new Option('--count <n>', 'race: increments per thread; lost-/queue-results: results per worker').argParser(
        (value) => parsePositiveInteger(value, 100_000_000),
      ),
    )
    .addOption(
      new Option(
        '--megabytes <n>',
        "fork-memory: size of the data set; memory-hierarchy: the largest working set; cache-sharing: each worker's",
      ).argParser((value) => parsePositiveInteger(value, 4096)),
    )
    .addOption(new Option('--grid <AxBxC>', 'grid-search: the grid (default 5x5x5)').argParser(parseGrid))
    .addOption(
      new Option('--task-ms <n>', 'grid-search: work of one fit, ms (default 40)').argParser((value) =>
        parsePositiveInteger(value, 60_000),
      ),
    )
    .addOption(
      new Option('--engine <engine>', 'grid-search: what runs the fits: local (its own pool), dask or mpi').argParser(
        parseChoice(GRID_ENGINES),
      ),
    )
    .addOption(
      new Option(
        '--scheduler <tcp://HOST:PORT>',
        "grid-search on Dask: your cluster's scheduler (default: a local cluster on loopback)",
      ).argParser(parseSchedulerAddress),
    )
    .addOption(
      new Option('--hostfile <file>', "grid-search on MPI: mpirun's host file (default: this machine)").argParser(
        checkMpiHostfile,
      ),
    )
    .addOption(
      new Option(
        '--price-per-core-hour <p>',
        "grid-search on Dask or MPI: what one core costs, for the calculator's prediction",
      ).argParser(parsePositiveNumber),
    )
    .addOption(
      new Option(
        '--size <n>',
        `gpu-cores: the matrices' side (default ${DEFAULT_MATRIX_SIZE}, at most ${MAX_MATRIX_SIZE})`,
      ).argParser((value) => parsePositiveInteger(value, MAX_MATRIX_SIZE)),
    )
    .option('--json', 'print JSON')
    .option('--record <file>', "also write the run (samples, the lab's events, where its threads ran) to <file>")
    .action(async (id: string, flags: LabRunFlags) => {
      const { runLabRun } = await import('./commands/lab.js');
      const sampler = flags.record ? await createSampler(samplerChoice()) : null;
      process.exitCode = await runLabRun(id, flags, effectiveCoreCount(), sampler);
    });
  lab
    .command('exec')
    .description(
      'run <command>, follow its process tree, and print what it measured when it ends; exits with its exit code',
    )
    .option('--shell', 'run the command line through /bin/sh (pipes, globs, &&)')
    .option('--json', "print JSON (the command's own output then goes to stderr)")
    .argument('<command...>', 'the program and its arguments, after --')
    .passThroughOptions()
    .action(async (args: string[], flags: { shell?: boolean; json?: boolean }) => {
      const command = await checkedCommand(args, flags.shell ?? false);
      const { runLabExec } = await import('./commands/exec.js');
      process.exitCode = await runLabExec(command, flags, effectiveCoreCount());
    });
  lab
    .command('compare')
    .description('every runtime comparison kept so far (from lab run compare-runtimes, or key 5 on page 2)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (flags: { json?: boolean; csv?: boolean }) => {
      if (flags.json && flags.csv) throw new UsageError('--json and --csv were both given; choose one.');
      const { runLabCompare } = await import('./commands/lab.js');
      await runLabCompare(flags.json ? 'json' : flags.csv ? 'csv' : 'text');
    });

  program
    .command('calc')
    .description('cores needed to finish N independent tasks by a deadline, and their cost')
    .requiredOption('--tasks <n>', 'number of tasks (e.g. 125 for a 5x5x5 grid)', (value: string) =>
      parsePositiveInteger(value, 1_000_000_000),
    )
    .requiredOption('--task-seconds <s>', 'seconds one task takes on one core', parsePositiveNumber)
    .requiredOption('--deadline <duration>', 'time available: 20m, 1h30m, 90s or seconds', parseDeadline)
    .option('--price-per-core-hour <p>', 'what one core costs per hour', parsePositiveNumber)
    .option('--json', 'print JSON')
    .action(async (flags: CalcFlags) => {
      const { runCalc } = await import('./commands/calc.js');
      await runCalc(flags);
    });

  const serve = program
    .command('serve')
    .description(
      "serve the machine's figures to Prometheus at http://ADDRESS:PORT/metrics, without a screen " +
        "(node_exporter's names where they share a figure, paratop_ for the rest)",
    )
    .addOption(
      new Option(
        '--listen <address:port>',
        'where to listen; every interface only when named (0.0.0.0:9464, [::]:9464)',
      )
        .default(parseListenAddress(DEFAULT_LISTEN), DEFAULT_LISTEN)
        .argParser(parseListen),
    )
    .addOption(webConfigOption())
    .addOption(exportProcessesOption())
    .addOption(exportCmdlineOption());
  addConfigOptions(serve).action(
    async (flags: ExportFlags & ConfigFlags & { listen: ListenAddress; export?: ListenAddress }) => {
      // The file's [export] stands in for what the command line leaves out, as on the dashboard.
      const { values, problems } = await readSettingsFile(flags.config ?? program.opts<ConfigFlags>().config);
      for (const problem of problems) process.stderr.write(`paratop: ${problem}\n`);
      const given = (flag: string): boolean => serve.getOptionValueSource(flag) === 'cli';
      const merged = withConfigValues({ ...flags }, (flag) => given(flag === 'export' ? 'listen' : flag), values);
      const settings = exportSettings(merged.export ?? flags.listen, merged);
      const { runServe } = await import('./commands/serve.js');
      await runServe(await createSampler(samplerChoice()), settings);
    },
  );

  return program;
}

/** Runs paratop with the given arguments; resolves to the exit code. */
export async function runProgram(argv: readonly string[], hooks: ProgramHooks): Promise<number> {
  const program = buildProgram(hooks);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage mistake.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`paratop: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
