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
  /** A kernel thread (PF_KTHREAD): it has no command line, and no memory of its own. */
  kernelThread: boolean;
  /** The core it last ran on (field 39); null on a kernel too old to say. */
  lastCpu: number | null;
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
 * so it runs from the first "(" to the last ")"; the numbers follow, split only as far as the last
 * field needed (not all 52). This runs for every process on every scan, mostly as interpreted code
 * (see app/v8-lean-mode.ts), where the native split is several times faster than a character loop.
 * `wanted` must be ascending and above 3.
 */
export function statFields(text: string, wanted: readonly number[]): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // After ") " comes field 3 (state), so field n is at index n - 3.
  const last = wanted[wanted.length - 1] ?? 3;
  const fields = text.slice(close + 2).split(' ', last - 2);
  const values: number[] = [];
  for (let i = 0; i < wanted.length; i += 1) values.push(Number(fields[(wanted[i] ?? 0) - 3] ?? Number.NaN));
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: text.charAt(close + 2) || '?',
    values,
  };
}

const PID_STAT_FIELDS = [4, 9, 14, 15, 20, 22, 24, 39];
/** include/linux/sched.h */
const PF_KTHREAD = 0x00200000;

export function parsePidStat(text: string): PidStat | null {
  const fields = statFields(text, PID_STAT_FIELDS);
  if (!fields) return null;
  // Indexed, not destructured: interpreted code destructures through the iterator protocol.
  const values = fields.values;
  const ppid = values[0] ?? Number.NaN;
  const flags = values[1] ?? 0;
  const cpuTicks = (values[2] ?? Number.NaN) + (values[3] ?? Number.NaN);
  const threads = values[4] ?? Number.NaN;
  const startTicks = values[5] ?? Number.NaN;
  const rssPages = values[6] ?? 0;
  const lastCpu = values[7] ?? Number.NaN;
  if (!Number.isFinite(cpuTicks) || !Number.isFinite(startTicks)) return null;
  return {
    pid: fields.pid,
    comm: fields.comm,
    state: fields.state,
    ppid,
    cpuTicks,
    threads,
    startTicks,
    rssPages: Number.isFinite(rssPages) ? rssPages : 0,
    // The flags are an unsigned 32-bit field; & works on it as a signed one, which is fine for one bit.
    kernelThread: (flags & PF_KTHREAD) !== 0,
    lastCpu: Number.isInteger(lastCpu) ? lastCpu : null,
  };
}

/** /proc/<pid>/schedstat: ns on a CPU, ns runnable but waiting for one, times run. Null when not three numbers. */
export function parseSchedstat(text: string): { runNs: number; waitNs: number; slices: number } | null {
  const [run, wait, slices] = text.trim().split(' ');
  const numbers = [Number(run), Number(wait), Number(slices)];
  if (numbers.some((value) => !Number.isFinite(value))) return null;
  return { runNs: numbers[0] ?? 0, waitNs: numbers[1] ?? 0, slices: numbers[2] ?? 0 };
}

/** /proc/<pid>/task/<tid>/sched: the times the task moved to another core; null when absent. */
export function parseMigrations(text: string): number | null {
  const match = /^se\.nr_migrations\s*:\s*(\d+)/m.exec(text);
  return match ? Number(match[1]) : null;
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

/** /proc/<pid>/cmdline: arguments separated by NUL bytes. Empty for kernel threads and zombies. */
export function parseCmdline(text: string): string {
  return text.replace(/\0+$/, '').replaceAll('\0', ' ');
}
