import type { ProcessSample } from '../../model/types.js';
import type { PsDialect } from './ps-dialect.js';
import { parsePsTime } from './ps-tree-scanner.js';

/** What one line of the process scan's ps gives; CPU% and the memory share come from the sampler. */
export type PsProcess = Pick<
  ProcessSample,
  | 'pid'
  | 'ppid'
  | 'uid'
  | 'user'
  | 'state'
  | 'name'
  | 'command'
  | 'cpuSeconds'
  | 'rssBytes'
  | 'threads'
  | 'startedAt'
  | 'startToken'
>;

/** BSD letters that differ from Linux's: I is a process asleep for over 20 s, U an uninterruptible wait. */
const BSD_STATES: Record<string, string> = { I: 'S', U: 'D' };

/** lstart is five words in the C locale: "Sun Dec  6 04:28:32 2026". */
const LSTART = String.raw`(\S+\s+\S+\s+\d+\s+\d+:\d+:\d+\s+\d+)`;
const FIELDS = String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+`;
const WITH_THREADS = new RegExp(`${FIELDS}(\\d+)\\s+${LSTART}(?: (.*))?$`);
const WITHOUT_THREADS = new RegExp(`${FIELDS}()${LSTART}(?: (.*))?$`);

/** ps's bytes, read as latin1 so that one character is one byte, back to text. */
export function fromBytes(text: string): string {
  return Buffer.from(text, 'latin1').toString('utf8');
}

/**
 * One line of `ps -axww -o NAME=,pid=,...,lstart=,args=` (psProcessArgs), given as latin1 text: the
 * name is the first `nameWidth` bytes (ps pads it; it may hold spaces and parentheses), then a space,
 * then space-free columns, then lstart and the command line, which may hold anything. Null for a
 * line that does not fit that shape: untrusted output is skipped, never guessed at. Pure.
 */
export function parsePsProcessLine(line: string, dialect: PsDialect): PsProcess | null {
  if (line.length <= dialect.nameWidth || line[dialect.nameWidth] !== ' ') return null;
  const match = (dialect.threadColumn ? WITH_THREADS : WITHOUT_THREADS).exec(line.slice(dialect.nameWidth + 1));
  if (!match) return null;
  const [, pid = '', ppid = '', uid = '', user = '', state = '', time = '', rss = '', threads = '', start = ''] = match;
  const cpuSeconds = parsePsTime(time);
  if (cpuSeconds === null) return null;
  const startToken = start.replace(/\s+/g, ' ');
  const name = fromBytes(line.slice(0, dialect.nameWidth).trimEnd());
  const letter = state.charAt(0);
  const args = fromBytes(match[10] ?? '').trim();
  const startedAt = Date.parse(startToken);
  return {
    pid: Number(pid),
    ppid: Number(ppid),
    uid: Number(uid),
    user: fromBytes(user),
    state: dialect.id === 'bsd' ? (BSD_STATES[letter] ?? letter) : letter,
    name,
    command: commandOf(args, name, letter),
    cpuSeconds,
    rssBytes: Number(rss) * 1024,
    threads: threads ? Number(threads) : null,
    startedAt: Number.isNaN(startedAt) ? 0 : startedAt,
    startToken,
  };
}

/** As the Linux sampler shows them: `[name]` for a zombie, and where ps could not read the arguments. */
function commandOf(args: string, name: string, state: string): string {
  if (state === 'Z' || args === '' || args === '<defunct>' || args === `(${name})`) return `[${name}]`;
  return args;
}

/** Every line of one scan's output that parses (see parsePsProcessLine). Pure. */
export function parsePsProcesses(text: string, dialect: PsDialect): PsProcess[] {
  const processes: PsProcess[] = [];
  for (const line of text.split('\n')) {
    const process = parsePsProcessLine(line, dialect);
    if (process) processes.push(process);
  }
  return processes;
}
