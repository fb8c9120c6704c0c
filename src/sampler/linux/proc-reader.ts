import { closeSync, openSync, readFileSync, readvSync } from 'node:fs';

/**
 * Reads small /proc files into one reused buffer: no per-read allocation, no stat call. Files read
 * on every scan can be kept open and re-read from offset 0 (procfs regenerates them), which saves
 * an open and a close per file per scan. Synchronous on purpose: each read takes microseconds and
 * the thread pool would cost more.
 */
export class ProcReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  /**
   * The buffer as readv's list. readvSync checks two arguments where readSync checks five, each
   * check allocating (Node wraps them to hide its own stack frames): with readSync those checks
   * were ~32 of the sampler's ~143 KB/s of garbage at ~70 processes.
   */
  private wholeBuffer = [this.buffer];
  private readonly open = new Map<string, number>();
  /** Kept-open paths by the process they belong to, so a process's files close together. */
  private readonly groups = new Map<number, string[]>();

  /** @param maxOpen how many files may stay open at once; the rest are opened for each read. */
  constructor(private readonly maxOpen = openFileBudget()) {}

  /** The file's text, or null when it is gone or unreadable (the process exited, or is not ours). */
  read(path: string, maxBytes = 1024 * 1024): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    try {
      return this.readFrom(fd, maxBytes, false);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * As `read`, keeping the file open for the next call; `group` (a PID) lets `closeGroup` find it.
   * For the files re-read on every scan (stat, schedstat, status, meminfo, loadavg, uptime): each
   * is written whole by the kernel in one go, so a read that does not fill the buffer is the end.
   */
  readKeepingOpen(path: string, group?: number): string | null {
    const kept = this.open.get(path);
    if (kept !== undefined) {
      const text = this.readFrom(kept, 1024 * 1024, true);
      if (text !== null) return text;
      // The process behind this descriptor is gone (a PID reused since opens a new file).
      this.close(path);
    }
    if (this.open.size >= this.maxOpen) return this.read(path);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    const text = this.readFrom(fd, 1024 * 1024, true);
    if (text === null) {
      closeSync(fd);
      return null;
    }
    this.open.set(path, fd);
    if (group !== undefined) {
      const paths = this.groups.get(group);
      if (paths) paths.push(path);
      else this.groups.set(group, [path]);
    }
    return text;
  }

  /** Close the kept files of one group (a process that has gone). */
  closeGroup(group: number): void {
    for (const path of this.groups.get(group) ?? []) this.close(path);
    this.groups.delete(group);
  }

  get openCount(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const path of [...this.open.keys()]) this.close(path);
    this.groups.clear();
  }

  private close(path: string): void {
    const fd = this.open.get(path);
    this.open.delete(path);
    if (fd !== undefined) closeSync(fd);
  }

  /**
   * `shortReadIsEnd`: skip the last read that would return 0, one syscall per file per scan. Right
   * for files the kernel writes whole in one go; a file made of many records (maps, /proc/net/*)
   * may hand them over in pieces, so `read` keeps reading until 0.
   */
  private readFrom(fd: number, maxBytes: number, shortReadIsEnd: boolean): string | null {
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          if (length >= maxBytes) break;
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
          this.wholeBuffer = [bigger];
        }
        const room = this.buffer.length - length;
        // From `length` on: procfs regenerates the file for a read at offset 0 (pread, not read).
        const count = readvSync(fd, length === 0 ? this.wholeBuffer : [this.buffer.subarray(length)], length);
        length += count;
        if (count === 0 || (shortReadIsEnd && count < room)) break;
      }
      return this.buffer.toString('utf8', 0, Math.min(length, maxBytes));
    } catch {
      // ESRCH and friends: the process went away between open and read.
      return null;
    }
  }
}

/**
 * How many /proc files may stay open: most of the process's descriptor limit (Node raises the soft
 * limit to the hard one at start), keeping a margin for everything else paratop opens.
 */
function openFileBudget(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    if (Number.isFinite(soft)) return Math.max(0, Math.min(soft - 512, 65_536));
  } catch {
    // not Linux
  }
  return 512;
}
