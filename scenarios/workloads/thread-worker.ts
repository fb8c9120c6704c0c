import { parentPort, workerData } from 'node:worker_threads';
import { workUnit } from './kernel.js';
import { THROWS_PER_UNIT, throwPoints } from './monte-carlo.js';
import { Mutex } from './mutex.js';
import { connect } from 'node:net';
import { type ToEngine, type WorkloadSpec, waitsForGo } from '../../src/lab/protocol.js';
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
  /** race: [counter, mutex] shared by every thread */
  raceBuffer: SharedArrayBuffer;
  /** io: the loopback port of the host's delay service. */
  ioPort: number;
}

/** Work done without the lock per turn in 'released' mode: the lock is held about 1/20 of the time. */
const UNITS_WITHOUT_LOCK = 20;

const { spec, units, index, slot, lockBuffer, countersBuffer, raceBuffer, ioPort } = workerData as ThreadWorkerData;
const lock = new SharedLock(lockBuffer);
const counters = new Int32Array(countersBuffer);
const race = new Int32Array(raceBuffer);
const post = (message: ToEngine): void => parentPort?.postMessage(message);
/** A finite run stops after this many units; 0 means until asked. */
const limit = spec.units ?? 0;
const more = (): boolean => !lock.stopping && (limit === 0 || Atomics.load(counters, slot) < limit);

const name = nameCurrentThread(`${spec.namePrefix}-${index}`);
post({ type: 'ready', index, pid: process.pid, tid: currentTid(), name });
// Work starts when every worker has reported in (the host passes paratop's "go" on); false if stopped first.
const going = !waitsForGo(spec.mode) || lock.waitForGo();

function unit(): void {
  workUnit(index + Atomics.load(counters, slot));
  Atomics.add(counters, slot, 1);
}

/** A little work between reading the counter and writing it back, as an interpreter does. */
let scratch = 0;
function between(): void {
  for (let step = 0; step < 64; step += 1) scratch = (scratch * 31 + step) | 0;
}

switch (going ? spec.mode : 'stopped') {
  case 'stopped':
    break;
  case 'spin':
    while (more()) unit();
    break;
  case 'gil': {
    // Time spent taking the lock and handing it on, for experiments that ask what held threads back.
    let lockMs = 0;
    let asked = performance.now();
    while (more() && lock.acquire()) {
      const got = performance.now();
      lockMs += got - asked;
      const until = got + spec.switchIntervalMs;
      do unit();
      while (performance.now() < until && more());
      const worked = performance.now();
      lock.release();
      asked = performance.now();
      lockMs += asked - worked;
    }
    post({ type: 'waits', index, ioMs: 0, lockMs });
    break;
  }
  case 'released':
    while (more() && lock.acquire()) {
      unit();
      lock.release();
      for (let done = 0; done < UNITS_WITHOUT_LOCK && more(); done += 1) unit();
    }
    break;
  case 'join': {
    // The argument: how many points this thread throws. Work in units, so progress shows.
    let hits = 0;
    for (let done = 0; done < units && !lock.stopping; done += 1) {
      hits += throwPoints(THROWS_PER_UNIT, index * 1_000_003 + done);
      Atomics.add(counters, slot, 1);
    }
    post({
      type: 'result',
      index,
      argument: units * THROWS_PER_UNIT,
      result: hits,
      units: Atomics.load(counters, slot),
    });
    break;
  }
  case 'race':
  case 'race-locked': {
    // counter += 1, spelled out: read, compute, write. Without the mutex another thread can write
    // in between, and one of the two updates is lost.
    const mutex = new Mutex(race, 1);
    const increments = spec.count ?? 0;
    for (let done = 0; done < increments && !lock.stopping; done += 1) {
      if (spec.mode === 'race-locked') mutex.lock();
      const value = race[0] ?? 0;
      between();
      race[0] = value + 1;
      if (spec.mode === 'race-locked') mutex.unlock();
      Atomics.add(counters, slot, 1);
    }
    break;
  }
  case 'echo': {
    // Shared memory: one atomic add on a value every thread can see, timed over a million.
    const cells = new Int32Array(new SharedArrayBuffer(4));
    const started = performance.now();
    for (let step = 0; step < 1_000_000; step += 1) Atomics.add(cells, 0, 1);
    post({ type: 'measure', name: 'shared-memory-ns', value: ((performance.now() - started) * 1e6) / 1_000_000 });
    // Message round trips: the host pings, this thread answers.
    parentPort?.on('message', (message: { type?: string; id?: number }) => {
      if (message.type === 'ping') parentPort?.postMessage({ type: 'pong', id: message.id });
      if (message.type === 'stop') parentPort?.close();
    });
    break;
  }
  case 'crash':
    if (index === spec.crashIndex) {
      setTimeout(() => {
        // A fatal error (a segfault in native code, say) ends the whole process, every thread of it.
        // SIGKILL does that without leaving a core dump behind.
        if (spec.crashHow === 'fatal') process.kill(process.pid, 'SIGKILL');
        throw new Error(`worker ${index} crashed on purpose`);
      }, 300);
    } else {
      lock.waitForStop();
    }
    break;
  case 'idle':
    lock.waitForStop();
    break;
  case 'io':
    void requestsUnderTheLock();
    break;
  default:
    post({ type: 'error', message: `threads cannot run mode "${spec.mode}"` });
}

/**
 * An I/O-bound thread, as CPython runs one: it holds the lock only to prepare each request and read
 * the answer (a little work), and gives it back while it waits for the service, as CPython releases
 * the GIL around a blocking call. So while one waits, another can run: N threads wait N times at once.
 */
async function requestsUnderTheLock(): Promise<void> {
  const socket = connect(ioPort, '127.0.0.1');
  socket.setNoDelay(true);
  let answered: () => void = () => undefined;
  socket.on('data', (chunk) => {
    for (const byte of chunk) if (byte === 0x0a) answered();
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let ioMs = 0;
  let lockMs = 0;
  for (let request = 0; request < (spec.count ?? 0) && !lock.stopping; request += 1) {
    const asked = performance.now();
    if (!lock.acquire()) break;
    const got = performance.now();
    unit();
    const worked = performance.now();
    // Giving the lock back waits for a waiting thread to take it: lock time too.
    lock.release();
    const sent = performance.now();
    lockMs += got - asked + (sent - worked);
    await new Promise<void>((resolve) => {
      answered = resolve;
      socket.write('r\n');
    });
    ioMs += performance.now() - sent;
  }
  post({ type: 'waits', index, ioMs, lockMs });
  socket.destroy();
}
