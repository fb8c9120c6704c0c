import { Worker } from 'node:worker_threads';
import { exitWhenParentDies } from './parent-watch.js';
import { type ToEngine, type WorkloadSpec, isToWorkload } from './protocol.js';
import { unitsForSeconds } from './monte-carlo.js';
import { SharedLock } from './shared-lock.js';
import { nameCurrentThread } from './task-identity.js';
import { sendToEngine } from './to-engine.js';

/**
 * One process holding N worker threads: what the lecture's Python threads are. Its own main thread
 * only talks to paratop (IPC) and relays progress; the worker threads do the work.
 */
const PROGRESS_MS = 250;
const JOIN_TIMEOUT_MS = 1000;

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkloadSpec;
exitWhenParentDies(spec.parentPid);
process.title = `paratop-lab: ${spec.threads} ${spec.namePrefix} threads`;
// Must match what the engine reports as the host's name.
nameCurrentThread(`${spec.namePrefix}-main`);

const send = sendToEngine;

const lock = SharedLock.create();
const countersBuffer = new SharedArrayBuffer(spec.threads * Int32Array.BYTES_PER_ELEMENT);
const counters = new Int32Array(countersBuffer);
const units = (): number[] => Array.from(counters);
// A join job: every thread gets the same argument, sized here before any thread starts.
const jobUnits = spec.mode === 'join' ? unitsForSeconds(spec.jobSeconds) : 0;

const workers = Array.from({ length: spec.threads }, (_, slot) => {
  const worker = new Worker(new URL('./thread-worker.js', import.meta.url), {
    workerData: { spec, units: jobUnits, index: spec.firstIndex + slot, slot, lockBuffer: lock.buffer, countersBuffer },
  });
  worker.on('message', (message: ToEngine) => send(message));
  worker.on('error', (error) => send({ type: 'error', message: `worker ${spec.firstIndex + slot}: ${error.message}` }));
  return worker;
});
const exited = workers.map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));

const progress = setInterval(() => send({ type: 'progress', units: units() }), PROGRESS_MS);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  lock.stop();
  const joined = Promise.all(exited);
  const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), JOIN_TIMEOUT_MS).unref());
  if ((await Promise.race([joined, late])) === 'late') await Promise.all(workers.map((worker) => worker.terminate()));
  clearInterval(progress);
  send({ type: 'progress', units: units() }, () => process.exit(0));
}

process.on('message', (message: unknown) => {
  if (isToWorkload(message)) void stop();
});

if (spec.mode === 'join') {
  // Join: wait for every thread to finish, report, then stay until paratop has read our CPU time.
  void Promise.all(exited).then(() => {
    if (stopping) return;
    clearInterval(progress);
    send({ type: 'progress', units: units() });
    send({ type: 'finished' });
  });
}
