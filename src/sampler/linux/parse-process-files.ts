/** Parsers for the per-process and per-thread files under /proc/<pid>. Pure: text in, fields out. */

/** Clock ticks per second in /proc's times (USER_HZ): 100 on every mainstream Linux architecture. */
export const USER_HZ = 100;

export interface PidStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** user + system CPU time, clock ticks */
  cpuTicks: number;
  threads: number;
  /** Start time, clock ticks after boot. */
  startTicks: number;
  /** Resident set size, in pages (the same figure as VmRSS in status). */
  rssPages: number;
}

/** The fields of a /proc/<pid>/stat line: the name, the state, and the numbers asked for. */
export interface StatFields {
  pid: number;
  comm: string;
  state: string;
  /** The requested fields (numbered from 1, as in proc(5)), in the order asked; NaN if missing. */
  values: number[];
}

/**
 * /proc/<pid>/stat. The name sits in parentheses and may itself hold spaces and parentheses,
 * so it runs from the first "(" to the last ")"; the numbers follow. Only the needed fields are
 * cut out (no split of all 52), as this runs for every process on every scan.
 * `wanted` must be ascending and above 3.
 */
export function statFields(text: string, wanted: readonly number[]): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Field 3 (state) starts two characters after the ")"; walk the spaces to the fields we need.
  const values: number[] = [];
  let field = 3;
  let start = close + 2;
  for (let at = start; at <= text.length && values.length < wanted.length; at += 1) {
    const char = text.charCodeAt(at);
    if (char !== 32 && char !== 10 && at < text.length) continue;
    if (field === wanted[values.length]) values.push(Number(text.slice(start, at)));
    field += 1;
    start = at + 1;
  }
  while (values.length < wanted.length) values.push(Number.NaN);
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), state: text.charAt(close + 2) || '?', values };
}

const PID_STAT_FIELDS = [4, 14, 15, 20, 22, 24];

export function parsePidStat(text: string): PidStat | null {
  const fields = statFields(text, PID_STAT_FIELDS);
  if (!fields) return null;
  const [ppid = Number.NaN, utime = Number.NaN, stime = Number.NaN, threads = Number.NaN, startTicks = Number.NaN, rssPages = 0] = fields.values;
  const cpuTicks = utime + stime;
  if (!Number.isFinite(cpuTicks) || !Number.isFinite(startTicks)) return null;
  return { pid: fields.pid, comm: fields.comm, state: fields.state, ppid, cpuTicks, threads, startTicks, rssPages: Number.isFinite(rssPages) ? rssPages : 0 };
}

export interface PidStatus {
  /** Effective user ID, as ps reports it. */
  uid: number;
  /** Resident set size in bytes; 0 for kernel threads, which have none. */
  rssBytes: number;
  ctxVoluntary: number;
  ctxInvoluntary: number;
}

/** /proc/<pid>/status: only the few fields the sampler needs, found without splitting every line. */
export function parsePidStatus(text: string): PidStatus {
  const valueAfter = (key: string): string | undefined => {
    const at = text.indexOf(`\n${key}:`);
    if (at < 0) return undefined;
    const start = at + key.length + 2;
    const end = text.indexOf('\n', start);
    return text.slice(start, end < 0 ? undefined : end).trim();
  };
  const number = (key: string): number => Number.parseInt(valueAfter(key) ?? '0', 10) || 0;
  const uids = (valueAfter('Uid') ?? '').split(/\s+/);
  return {
    uid: Number(uids[1] ?? uids[0] ?? 0) || 0,
    rssBytes: number('VmRSS') * 1024,
    ctxVoluntary: number('voluntary_ctxt_switches'),
    ctxInvoluntary: number('nonvoluntary_ctxt_switches'),
  };
}

/**
 * /proc/<pid>/schedstat: "ns on CPU, ns waiting, times run". The last is how often the task was
 * put on a CPU, so it is unchanged exactly when the task has not run (and so not switched) since.
 */
export function parseSchedstatRuns(text: string): number | null {
  const fields = text.trimEnd().split(' ');
  const runs = fields.length === 3 ? Number(fields[2]) : Number.NaN;
  return Number.isFinite(runs) ? runs : null;
}

/** /proc/<pid>/cmdline: arguments separated by NUL bytes. Empty for kernel threads and zombies. */
export function parseCmdline(text: string): string {
  return text.replace(/\0+$/, '').replaceAll('\0', ' ');
}
