import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads small /proc files into one reused buffer: no per-read allocation, no stat call.
 * Synchronous on purpose: each read takes microseconds and the thread pool would cost more.
 */
export class ProcReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);

  /** The file's text, or null when it is gone or unreadable (the process exited, or is not ours). */
  read(path: string, maxBytes = 1024 * 1024): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          if (length >= maxBytes) break;
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const count = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (count === 0) break;
        length += count;
      }
      return this.buffer.toString('utf8', 0, Math.min(length, maxBytes));
    } catch {
      // ESRCH and friends: the process went away between open and read.
      return null;
    } finally {
      closeSync(fd);
    }
  }
}
