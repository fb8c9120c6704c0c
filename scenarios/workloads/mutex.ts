/**
 * A plain mutex in shared memory: whoever gets there first holds it; the others sleep in the kernel
 * until it is free. (Unlike the GIL-like lock it hands nothing over: it only keeps one thread at a time
 * inside a critical section.)
 */
export class Mutex {
  constructor(
    private readonly cells: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    while (Atomics.compareExchange(this.cells, this.index, 0, 1) !== 0) Atomics.wait(this.cells, this.index, 1, 50);
  }

  unlock(): void {
    Atomics.store(this.cells, this.index, 0);
    Atomics.notify(this.cells, this.index, 1);
  }
}
