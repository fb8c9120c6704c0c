import { closeSync, openSync, readFileSync, readvSync } from 'node:fs';

/** A file kept open between scans and re-read in place; its descriptor is null while it is not open. */
export interface KeptFile {
  readonly path: string;
  fd: number | null;
}

/**
 * Reads small /proc files into one reused buffer: no per-read allocation, no stat call. Files read
 * on every scan can be kept open and re-read from offset 0 (procfs regenerates them), which saves
 * an open and a close per file per scan. Synchronous on purpose: each read takes microseconds and
 * the thread pool would cost more.
 *
 * A process's files are kept by the sampler's record of it (`keep`, `reread`, `release`), so a scan
 * finds them without building or hashing a path. Machine-wide files are kept by path (`readKeepingOpen`).
 */
export class ProcReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  /**
   * The buffer as readv's list. readvSync checks two arguments where readSync checks five, each
   * check allocating (Node wraps them to hide its own stack frames): with readSync those checks
   * were a fifth of the sampler's garbage.
   */
  private wholeBuffer = [this.buffer];
  private readonly byPath = new Map<string, KeptFile>();
  private keptOpen = 0;

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
      const length = this.readInto(fd, maxBytes, false);
      return length === null ? null : this.text(length);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * As `read`, keeping the file open for the next call. For the machine-wide files re-read on every
   * tick (stat, meminfo, loadavg, uptime).
   */
  readKeepingOpen(path: string): string | null {
    let file = this.byPath.get(path);
    if (!file) {
      file = this.keep(path);
      this.byPath.set(path, file);
    }
    const length = this.reread(file);
    return length === null ? null : this.text(length);
  }

  /** A file to re-read on every scan; opened by its first `reread`. */
  keep(path: string): KeptFile {
    return { path, fd: null };
  }

  /**
   * Read a kept file again into the buffer; its length, or null when it is gone. Each is written
   * whole by the kernel in one go, so a read that does not fill the buffer is the end.
   */
  reread(file: KeptFile): number | null {
    if (file.fd !== null) {
      const length = this.readInto(file.fd, 1024 * 1024, true);
      if (length !== null) return length;
      // The process behind this descriptor is gone (a PID reused since opens a new file).
      this.release(file);
    }
    let fd: number;
    try {
      fd = openSync(file.path, 'r');
    } catch {
      return null;
    }
    const length = this.readInto(fd, 1024 * 1024, true);
    if (length === null || this.keptOpen >= this.maxOpen) closeSync(fd);
    else {
      file.fd = fd;
      this.keptOpen += 1;
    }
    return length;
  }

  /** Close a kept file (its process has gone); a later `reread` would open it again. */
  release(file: KeptFile): void {
    if (file.fd === null) return;
    closeSync(file.fd);
    file.fd = null;
    this.keptOpen -= 1;
  }

  /** The last read's `length` bytes as text. */
  text(length: number): string {
    return this.buffer.toString('utf8', 0, length);
  }

  get openCount(): number {
    return this.keptOpen;
  }

  /** Close the files kept by path (a record's files are released by their owner). */
  closeAll(): void {
    for (const file of this.byPath.values()) this.release(file);
    this.byPath.clear();
  }

  /**
   * Read from offset 0 into the buffer; the length read (at most `maxBytes`), or null on an error.
   * `shortReadIsEnd`: skip the last read that would return 0, one syscall per file per scan. Right
   * for files the kernel writes whole in one go; a file made of many records (maps, /proc/net/*)
   * may hand them over in pieces, so `read` keeps reading until 0.
   */
  private readInto(fd: number, maxBytes: number, shortReadIsEnd: boolean): number | null {
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
      return Math.min(length, maxBytes);
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
