import { parentPort, workerData } from 'node:worker_threads';
import { THROWS_PER_UNIT, throwPoints } from './monte-carlo.js';
import { workUnit } from './kernel.js';
import type { ToEngine, WorkloadSpec } from './protocol.js';
import { SharedLock } from './shared-lock.js';
import { currentTid, nameCurrentThread } from './task-identity.js';

/** One worker thread inside a thread host. Counts its work in a shared array the host reads. */
interface ThreadWorkerData {
  spec: WorkloadSpec;
  /** For 'join': this thread's argument, in work units (the host sized it). */
  units: number;
  index: number;
  slot: number;
  lockBuffer: SharedArrayBuffer;
  countersBuffer: SharedArrayBuffer;
}

/** Work done without the lock per turn in 'released' mode: the lock is held about 1/20 of the time. */
const UNITS_WITHOUT_LOCK = 20;

const { spec, units, index, slot, lockBuffer, countersBuffer } = workerData as ThreadWorkerData;
const lock = new SharedLock(lockBuffer);
const counters = new Int32Array(countersBuffer);
const post = (message: ToEngine): void => parentPort?.postMessage(message);

const name = nameCurrentThread(`${spec.namePrefix}-${index}`);
post({ type: 'ready', index, pid: process.pid, tid: currentTid(), name });

function unit(): void {
  workUnit(index + Atomics.load(counters, slot));
  Atomics.add(counters, slot, 1);
}

switch (spec.mode) {
  case 'spin':
    while (!lock.stopping) unit();
    break;
  case 'gil':
    while (lock.acquire()) {
      const until = performance.now() + spec.switchIntervalMs;
      do unit();
      while (performance.now() < until && !lock.stopping);
      lock.release();
    }
    break;
  case 'released':
    while (lock.acquire()) {
      unit();
      lock.release();
      for (let done = 0; done < UNITS_WITHOUT_LOCK && !lock.stopping; done += 1) unit();
    }
    break;
  case 'join': {
    // The argument: how many points this thread throws. Work in units, so progress shows.
    let hits = 0;
    for (let done = 0; done < units && !lock.stopping; done += 1) {
      hits += throwPoints(THROWS_PER_UNIT, index * 1_000_003 + done);
      Atomics.add(counters, slot, 1);
    }
    post({ type: 'result', index, argument: units * THROWS_PER_UNIT, result: hits, units: Atomics.load(counters, slot) });
    break;
  }
}
