import { workUnit } from './kernel.js';
import { exitWhenParentDies } from './parent-watch.js';
import { type ToEngine, type WorkloadSpec, isToWorkload } from './protocol.js';
import { currentTid, nameCurrentThread } from './task-identity.js';
import { sendToEngine } from './to-engine.js';

/**
 * One worker process: its own PID, its own memory, its own event loop. It computes in bursts and
 * yields between them so it still hears paratop (stop, or the IPC channel closing).
 */
const PROGRESS_MS = 250;
const BURST_MS = 20;

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkloadSpec;
const index = spec.firstIndex;
exitWhenParentDies(spec.parentPid);
process.title = `paratop-lab: ${spec.namePrefix}-${index}`;
const name = nameCurrentThread(`${spec.namePrefix}-${index}`);

const send = sendToEngine;
send({ type: 'ready', index, pid: process.pid, tid: currentTid(), name });

let done = 0;
let running = true;
function burst(): void {
  const until = performance.now() + BURST_MS;
  while (performance.now() < until) {
    workUnit(index + done);
    done += 1;
  }
  if (running) setImmediate(burst);
}
setImmediate(burst);

const progress = setInterval(() => send({ type: 'progress', units: [done] }), PROGRESS_MS);
process.on('message', (message: unknown) => {
  if (!isToWorkload(message)) return;
  running = false;
  clearInterval(progress);
  send({ type: 'progress', units: [done] }, () => process.exit(0));
});
