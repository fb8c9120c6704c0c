import { Worker } from 'node:worker_threads';
import { serveWithDelay } from './delay-server.js';
import { unitsForSeconds } from './monte-carlo.js';
import { exitWhenParentDies, isToWorkload, type ToWorkload, type WorkloadSpec } from '../../src/lab/protocol.js';
import { SharedLock } from './shared-lock.js';
import { nameCurrentThread } from './task-identity.js';
import { sendToEngine as send } from './to-engine.js';

/**
 * One process holding N worker threads: what the lecture's Python threads are. Its own main thread
 * only talks to paratop (IPC) and relays progress; the worker threads do the work.
 */
/** For the live view only: results use the exact counts sent when the threads finish or are stopped. */
const PROGRESS_MS = 250;
const JOIN_TIMEOUT_MS = 1000;
const ROUND_TRIPS = 500;

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkloadSpec;
exitWhenParentDies(spec.parentPid);
process.title = `paratop-lab: ${spec.threads} ${spec.namePrefix} threads`;
// Must match what the engine reports as the host's name.
nameCurrentThread(`${spec.namePrefix}-main`);

const lock = SharedLock.create();
const countersBuffer = new SharedArrayBuffer(spec.threads * Int32Array.BYTES_PER_ELEMENT);
const counters = new Int32Array(countersBuffer);
const raceBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
const units = (): number[] => Array.from(counters);
// A join job: every thread gets the same argument, sized here before any thread starts.
const jobUnits = spec.mode === 'join' ? unitsForSeconds(spec.jobSeconds ?? 1) : 0;
/** Modes whose threads end by themselves; the host reports when all have. */
const finite =
  ['join', 'race', 'race-locked', 'io'].includes(spec.mode) ||
  ((spec.units ?? 0) > 0 && ['spin', 'gil', 'released'].includes(spec.mode));
// io: the service the threads wait on, in this process's main thread (not one of the workers).
const ioPort = spec.mode === 'io' ? (await serveWithDelay(spec.delayMs ?? 50)).port : 0;

// Timed here, in the host: how long N threads take to start, not counting this process's own start.
const creating = performance.now();
let reportedIn = 0;
const workers = Array.from({ length: spec.threads }, (_, slot) => {
  const index = spec.firstIndex + slot;
  const worker = new Worker(new URL('./thread-worker.js', import.meta.url), {
    workerData: { spec, units: jobUnits, index, slot, lockBuffer: lock.buffer, countersBuffer, raceBuffer, ioPort },
  });
  worker.on('message', (message: { type?: string }) => {
    if (message.type === 'pong') return;
    send(message as Parameters<typeof send>[0]);
    if (message.type === 'ready') reportedIn += 1;
    if (message.type === 'ready' && reportedIn === spec.threads && spec.mode === 'idle') {
      // performance.now() counts from this process's start: how long the host took before it asked for threads.
      send({ type: 'measure', name: 'host-start-ms', value: creating });
      send({ type: 'measure', name: 'threads-start-ms', value: performance.now() - creating });
    }
  });
  // A thread's uncaught exception ends that thread only; the process and the other threads go on.
  worker.on('error', (error) => send({ type: 'error', message: `thread ${index}: ${error.message}` }));
  return worker;
});
const exited = workers.map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));

const progress = setInterval(() => send({ type: 'progress', units: units() }), PROGRESS_MS);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  lock.stop();
  for (const worker of workers) worker.postMessage({ type: 'stop' });
  const joined = Promise.all(exited);
  const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), JOIN_TIMEOUT_MS).unref());
  if ((await Promise.race([joined, late])) === 'late') await Promise.all(workers.map((worker) => worker.terminate()));
  clearInterval(progress);
  send({ type: 'progress', units: units(), final: true }, () => process.exit(0));
}

process.on('message', (message: unknown) => {
  if (!isToWorkload(message)) return;
  if (message.type === 'stop') void stop();
  if (message.type === 'go') lock.go();
});

if (finite) {
  // Wait for every thread to finish, report, then stay until paratop has read our CPU time.
  void Promise.all(exited).then(() => {
    if (stopping) return;
    clearInterval(progress);
    send({ type: 'progress', units: units(), final: true });
    if (spec.mode === 'race' || spec.mode === 'race-locked')
      send({ type: 'counter', value: new Int32Array(raceBuffer)[0] ?? 0 });
    send({ type: 'finished' });
  });
}

if (spec.mode === 'echo') void measureRoundTrips(workers[0]);

/** Ping the first thread and time the answers: a message between two threads of one process. */
async function measureRoundTrips(worker: Worker | undefined): Promise<void> {
  if (!worker) return;
  const answer = (): Promise<void> =>
    new Promise((resolve) => {
      const listener = (message: { type?: string }): void => {
        if (message.type !== 'pong') return;
        worker.off('message', listener);
        resolve();
      };
      worker.on('message', listener);
    });
  for (let warm = 0; warm < 50; warm += 1) {
    const pong = answer();
    worker.postMessage({ type: 'ping', id: warm } satisfies ToWorkload);
    await pong;
  }
  const started = performance.now();
  for (let id = 0; id < ROUND_TRIPS; id += 1) {
    const pong = answer();
    worker.postMessage({ type: 'ping', id } satisfies ToWorkload);
    await pong;
  }
  send({ type: 'measure', name: 'thread-round-trip-us', value: ((performance.now() - started) * 1000) / ROUND_TRIPS });
}
