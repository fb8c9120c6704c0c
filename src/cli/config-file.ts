import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { tomlKeyLines } from './toml-key-lines.js';
import { UsageError } from './usage-error.js';
import { isPlainObject } from '../model/is-plain-object.js';
import { messageOf } from '../model/error-message.js';

/** Something wrong in the settings file: where, which key, and what is accepted. */
export interface ConfigProblem {
  line: number | null;
  key: string | null;
  /** The value as written, where the value is what is wrong. */
  value?: string;
  message: string;
}

/** The settings file as read: its text (kept to write changes back around the user's comments) and its tables. */
export interface ConfigFile {
  /** null with --no-config. */
  path: string | null;
  chosenBy: 'default' | '--config' | '--no-config';
  exists: boolean;
  text: string;
  /** The parsed file; null when it did not parse (then every setting takes its default). */
  data: Record<string, unknown> | null;
  problems: ConfigProblem[];
  keyLines: Map<string, number>;
}

/** Loaded only when there is a file to read or write: most runs of paratop have none. */
const toml = () => import('@decimalturn/toml-patch');

/** A settings file is a page of text; a bigger one is a wrong path. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const HEADER =
  '# paratop settings (https://toml.io). paratop writes back what you change with keys when you quit,\n' +
  '# and keeps your comments. `paratop --no-config` ignores this file; README "Settings" lists the keys.\n\n';

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'paratop is not permitted',
  EPERM: 'paratop is not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a folder in its path is a file',
  EROFS: 'the file system is read-only',
};

const explain = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return FILE_PROBLEMS[code] ?? (code || String(error));
};

/** $XDG_CONFIG_HOME/paratop/config.toml, as htop keeps htoprc (XDG_CONFIG_HOME counts only when absolute). */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const base = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'paratop', 'config.toml');
}

/** The file in use, in words, for the help screen and `paratop info`. */
export function configLabel(file: ConfigFile): string {
  if (!file.path) return 'none (--no-config)';
  return file.exists ? file.path : `${file.path} (not there yet: written when you change a setting)`;
}

const empty = (path: string | null, chosenBy: ConfigFile['chosenBy']): ConfigFile => ({
  path,
  chosenBy,
  exists: false,
  text: '',
  data: {},
  problems: [],
  keyLines: new Map(),
});

/** "Error parsing TOML (3, 5):\n<line>\n<caret>\nWhat went wrong" -> its last line. */
function syntaxProblem(error: unknown): ConfigProblem {
  const { line, message } = error as { line?: number; message?: string };
  const reason = (message ?? String(error)).trim().split('\n').at(-1) ?? 'not TOML';
  return { line: typeof line === 'number' ? line : null, key: null, message: `not valid TOML: ${reason}` };
}

/**
 * Reads the settings file. A file named by --config must exist (a typo there is a usage mistake);
 * the default one may be missing. A file that cannot be read or parsed is never fatal: its problem
 * is kept and every setting takes its default.
 */
export async function loadConfigFile(
  choice: string | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfigFile> {
  if (choice === false) return empty(null, '--no-config');
  const path = choice ?? defaultConfigPath(env);
  const chosenBy = choice === undefined ? 'default' : '--config';
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) {
      if (chosenBy === '--config') throw new UsageError(`--config '${path}': it is over 1 MB; it must be a TOML file.`);
      return { ...empty(path, chosenBy), exists: true, data: null, problems: [tooBig()] };
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (chosenBy === '--config')
      throw new UsageError(`--config '${path}': ${explain(error)}. It must be a TOML settings file.`);
    if (code === 'ENOENT') return empty(path, chosenBy);
    return {
      ...empty(path, chosenBy),
      exists: true,
      data: null,
      problems: [{ line: null, key: null, message: `cannot read it: ${explain(error)}` }],
    };
  }
  const keyLines = tomlKeyLines(text);
  const { parse } = await toml();
  try {
    const data = parse(text) as Record<string, unknown>;
    return { path, chosenBy, exists: true, text, data, problems: [], keyLines };
  } catch (error) {
    return { path, chosenBy, exists: true, text, data: null, problems: [syntaxProblem(error)], keyLines };
  }
}

const tooBig = (): ConfigProblem => ({ line: null, key: null, message: 'it is over 1 MB: not a settings file' });

/** A copy of the tables with `changes` ("table.key" -> value) set in them. */
function withChanges(data: Record<string, unknown>, changes: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const [path, value] of changes) {
    const parts = path.split('.');
    const key = parts.pop() ?? path;
    let table: Record<string, unknown> = copy;
    for (const part of parts) {
      const inner = table[part];
      if (!isPlainObject(inner)) table[part] = {};
      table = table[part] as Record<string, unknown>;
    }
    table[key] = value;
  }
  return copy;
}

/**
 * Writes `changes` into the file, keeping the user's comments, order and other keys. Writes a
 * sibling file and renames it over the real one (through a symlink, to its target), so a crash
 * never leaves half a file. Returns a note when the file is left as it was, or null when written.
 */
export async function writeConfigChanges(
  read: ConfigFile,
  changes: ReadonlyMap<string, unknown>,
): Promise<string | null> {
  let file = read;
  if (!file.path || changes.size === 0) return null;
  const keep = (why: string): string => `settings not saved to ${file.path}: ${why}; it is left as it was.`;
  // As it is now, not as it was at start: edits made by hand (or by another paratop) meanwhile stay.
  const path = file.path;
  if (existsSync(path)) {
    const now = await loadConfigFile(path).catch(() => null);
    if (!now) return keep('it can no longer be read');
    file = { ...now, chosenBy: file.chosenBy };
  } else file = { ...file, exists: false, text: '', data: {} };
  if (!file.data) {
    const problem = file.problems[0];
    return keep(
      problem?.line ? `line ${problem.line} is not valid TOML` : (problem?.message ?? 'it is not valid TOML'),
    );
  }
  const { patch } = await toml();
  let text: string;
  try {
    text = file.exists
      ? patch(file.text, withChanges(file.data, changes))
      : `${HEADER}${patch('', withChanges({}, changes))}\n`;
  } catch (error) {
    return keep(`the TOML library could not edit it (${messageOf(error)})`);
  }
  try {
    const target = file.exists ? realpathSync(path) : path;
    const mode = file.exists ? statSync(target).mode & 0o777 : 0o644;
    // A file the user made read-only is a file they froze, even for root, as vi treats it.
    if ((mode & 0o222) === 0) return keep('it is read-only (chmod u+w lets paratop save)');
    if (!file.exists) mkdirSync(dirname(target), { recursive: true });
    replaceFile(target, text, mode);
    return null;
  } catch (error) {
    return keep(explain(error));
  }
}

/** A sibling written then renamed over the target; in place where the folder may not be written to. */
function replaceFile(target: string, text: string, mode: number): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    writeFileSync(target, text);
    return;
  }
  try {
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
