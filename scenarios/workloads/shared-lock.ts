/**
 * A GIL-like lock in a SharedArrayBuffer. Node's worker threads are real OS threads with no global
 * lock; this makes them take turns the way CPython threads do:
 *  - only the holder computes; the others sleep in the kernel (futex wait), using no CPU;
 *  - the holder gives the lock up after a switch interval (CPython's default is 5 ms);
 *  - if others are waiting, it then waits until one of them has taken it (CPython 3.2+ forces the
 *    hand-over the same way, so one thread cannot starve the rest).
 * Every hand-over wakes one thread and puts another to sleep: context switches climb with threads.
 */
const LOCK = 0;
const HANDOVERS = 1;
const WAITING = 2;
const STOP = 3;
const GO = 4;
const SLOTS = 5;
/** Waits wake up this often to notice a stop request. */
const RECHECK_MS = 50;

export class SharedLock {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new Int32Array(buffer, 0, SLOTS);
  }

  static create(): SharedLock {
    return new SharedLock(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  }

  get stopping(): boolean {
    return Atomics.load(this.cells, STOP) === 1;
  }

  /** Ask every thread to stop, and wake the ones asleep on the lock. */
  stop(): void {
    Atomics.store(this.cells, STOP, 1);
    Atomics.notify(this.cells, LOCK);
    Atomics.notify(this.cells, HANDOVERS);
  }

  /** Block until this thread holds the lock; false if a stop came first. */
  acquire(): boolean {
    if (this.stopping) return false;
    Atomics.add(this.cells, WAITING, 1);
    try {
      while (Atomics.compareExchange(this.cells, LOCK, 0, 1) !== 0) {
        if (this.stopping) return false;
        Atomics.wait(this.cells, LOCK, 1, RECHECK_MS);
      }
    } finally {
      Atomics.sub(this.cells, WAITING, 1);
    }
    Atomics.add(this.cells, HANDOVERS, 1);
    Atomics.notify(this.cells, HANDOVERS);
    return true;
  }

  /** Give the lock up; when others wait, do not race them for it: wait until one has taken it. */
  release(): void {
    const handovers = Atomics.load(this.cells, HANDOVERS);
    Atomics.store(this.cells, LOCK, 0);
    Atomics.notify(this.cells, LOCK, 1);
    while (
      Atomics.load(this.cells, WAITING) > 0 &&
      Atomics.load(this.cells, HANDOVERS) === handovers &&
      !this.stopping
    ) {
      Atomics.wait(this.cells, HANDOVERS, handovers, RECHECK_MS);
    }
  }

  /** Let every thread waiting in waitForGo() start. */
  go(): void {
    Atomics.store(this.cells, GO, 1);
    Atomics.notify(this.cells, GO);
  }

  /** Sleep (no CPU) until go() or stop(); false if it was a stop. */
  waitForGo(): boolean {
    while (Atomics.load(this.cells, GO) === 0 && !this.stopping) Atomics.wait(this.cells, GO, 0, RECHECK_MS);
    return !this.stopping;
  }

  /** Sleep (no CPU) until a stop is asked for. */
  waitForStop(): void {
    while (!this.stopping) Atomics.wait(this.cells, STOP, 0, 1000);
  }

  get handovers(): number {
    return Atomics.load(this.cells, HANDOVERS);
  }
}
