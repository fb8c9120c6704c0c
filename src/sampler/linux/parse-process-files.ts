/** Parsers for the per-process and per-thread files under /proc/<pid>. Pure: text in, fields out. */

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
}

/**
 * /proc/<pid>/stat. The name sits in parentheses and may itself hold spaces and parentheses,
 * so it runs from the first "(" to the last ")"; the numbers follow.
 */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state) of proc(5); field n is rest[n - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  const parsed: PidStat = {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    threads: field(20),
    startTicks: field(22),
  };
  return Number.isFinite(parsed.cpuTicks) && Number.isFinite(parsed.startTicks) ? parsed : null;
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
