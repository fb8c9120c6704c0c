import type { PsDialect } from './ps-dialect.js';
import { fromBytes } from './parse-ps-processes.js';
import { parsePsTime } from './ps-tree-scanner.js';

/** One thread as ps shows it. BSD's ps has no thread IDs: there `tid` is the row's place, from 1. */
export interface PsThread {
  tid: number;
  /** The thread's name (procps); empty where ps shows none (BSD). */
  name: string;
  state: string;
  cpuSeconds: number;
}

/**
 * `ps -M -p PID` (BSD, macOS): a header, then one row per thread, the first with the user, terminal
 * and command, the rest without: "USER PID TT %CPU STAT PRI STIME UTIME COMMAND". Found from the
 * PID onwards, so neither a user name nor a command with spaces can shift the columns.
 */
const BSD_THREAD = /(\d+)\s+(?:\S+\s+)?\d+(?:[.,]\d+)?\s+(\S+)\s+\d+\S*\s+(\S+)\s+(\S+)/;
/** `ps -L -o tid=,state=,time=,comm= -p PID` (procps): the name last, so it may hold spaces. */
const PROCPS_THREAD = /^\s*(\d+)\s+(\S)\S*\s+(\S+) ?(.*)$/;

/** The threads of `pid` in ps's output (latin1 text); empty when there is none. Pure. */
export function parsePsThreads(text: string, dialect: PsDialect, pid: number): PsThread[] {
  const threads: PsThread[] = [];
  for (const line of text.split('\n')) {
    if (dialect.id === 'procps') {
      const match = PROCPS_THREAD.exec(line);
      const cpuSeconds = parsePsTime(match?.[3] ?? '');
      if (!match || cpuSeconds === null) continue;
      threads.push({ tid: Number(match[1]), name: fromBytes(match[4] ?? ''), state: match[2] ?? '?', cpuSeconds });
      continue;
    }
    const match = BSD_THREAD.exec(line);
    if (!match || Number(match[1]) !== pid) continue;
    const system = parsePsTime(match[3] ?? '');
    const user = parsePsTime(match[4] ?? '');
    if (system === null || user === null) continue;
    const letter = (match[2] ?? '?').charAt(0);
    threads.push({
      tid: threads.length + 1,
      name: '',
      state: letter === 'I' ? 'S' : letter === 'U' ? 'D' : letter,
      cpuSeconds: system + user,
    });
  }
  return threads;
}
