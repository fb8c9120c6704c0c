/**
 * The two kinds of `ps` paratop's fallback speaks: BSD's (macOS, FreeBSD) and procps (Linux), which
 * differ in the columns they have. Both take `-axww -o`, and print the short name padded to a fixed
 * width when it is not the last column: that is how a name with spaces is cut from the line.
 */
export interface PsDialect {
  id: 'bsd' | 'procps';
  /** The short-name keyword, and the width (bytes) ps pads it to: p_comm's MAXCOMLEN, or Linux's comm. */
  nameColumn: 'ucomm' | 'comm';
  nameWidth: number;
  /** Whether a thread-count column exists (procps: nlwp; BSD's ps has none). */
  threadColumn: boolean;
}

export const BSD_PS: PsDialect = { id: 'bsd', nameColumn: 'ucomm', nameWidth: 16, threadColumn: false };
export const PROCPS_PS: PsDialect = { id: 'procps', nameColumn: 'comm', nameWidth: 15, threadColumn: true };

export function psDialectFor(platform: NodeJS.Platform): PsDialect {
  return platform === 'linux' ? PROCPS_PS : BSD_PS;
}

/**
 * The arguments of the one ps per process scan: the name first (at column 0, padded to its width),
 * then columns without spaces, then lstart (five words) and the command line, last, untruncated.
 */
export function psProcessArgs(dialect: PsDialect, pid?: number): string[] {
  const columns = [
    `${dialect.nameColumn}=`,
    'pid=',
    'ppid=',
    'uid=',
    'user=',
    'state=',
    'time=',
    'rss=',
    ...(dialect.threadColumn ? ['nlwp='] : []),
    'lstart=',
    'args=',
  ];
  return [...(pid === undefined ? ['-axww'] : ['-ww', '-p', String(pid)]), '-o', columns.join(',')];
}

/** One process's threads: `ps -M` on BSD (a row per thread, no thread IDs); procps's `-L` with them. */
export function psThreadArgs(dialect: PsDialect, pid: number): string[] {
  return dialect.id === 'bsd' ? ['-M', '-p', String(pid)] : ['-L', '-o', 'tid=,state=,time=,comm=', '-p', String(pid)];
}
