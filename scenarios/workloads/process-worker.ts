import { workUnit } from './kernel.js';
import { timeLatencies, workingSet } from './latency-ladder.js';
import {
  exitWhenParentDies,
  isToWorkload,
  type ToWorkload,
  waitsForGo,
  type WorkloadSpec,
} from '../../src/lab/protocol.js';
import { currentTid, nameCurrentThread } from './task-identity.js';
import { sendToEngine as send } from './to-engine.js';

/**
 * One worker process: its own PID, its own memory, its own event loop. It computes in bursts and
 * yields between them so it still hears paratop (stop, a task, or the IPC channel closing).
 */
/** For the live view only: results use the exact count sent when the worker finishes or is stopped. */
const PROGRESS_MS = 250;
const BURST_MS = 20;
const ITEMS_PER_MESSAGE = 100;

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkloadSpec;
const index = spec.firstIndex;
exitWhenParentDies(spec.parentPid);
process.title = `paratop-lab: ${spec.namePrefix}-${index}`;
const name = nameCurrentThread(`${spec.namePrefix}-${index}`);

let done = 0;
let running = true;
const progress = setInterval(() => send({ type: 'progress', units: [done] }), PROGRESS_MS);
const reportIn = (): void => send({ type: 'ready', index, pid: process.pid, tid: currentTid(), name });

function finish(): void {
  clearInterval(progress);
  send({ type: 'progress', units: [done], final: true });
  send({ type: 'finished' });
}

/** Work starts on paratop's "go", once every worker has reported in (see waitsForGo). */
let go: () => void = () => undefined;
const gate = waitsForGo(spec.mode) ? new Promise<void>((resolve) => (go = resolve)) : Promise.resolve();

/** Run `step` in bursts of about 20 ms until it says stop, yielding in between; from "go" on. */
function inBursts(step: () => boolean, then: () => void): void {
  const burst = (): void => {
    const until = performance.now() + BURST_MS;
    let going = true;
    while (going && performance.now() < until) going = step();
    if (!running) return;
    if (going) setImmediate(burst);
    else then();
  };
  void gate.then(() => setImmediate(burst));
}

/** The "global" results list of this process. A child process has its own: its parent never sees it. */
const results: number[] = [];
/** A result: a square, after a little work, as a real job would compute something. */
function makeResult(): number {
  workUnit(done);
  return done * done;
}

/** A synthetic "train and score": fixed work, then a score that depends only on the parameters. */
function trainAndScore(units: number, params: number[]): number {
  for (let unit = 0; unit < units; unit += 1) workUnit(unit);
  // A smooth bowl with its best at (2, 2, 2, ...), so a grid search has a clear winner.
  return 1 - params.reduce((sum, value) => sum + (value - 2) ** 2, 0) / 100;
}

switch (spec.mode) {
  case 'spin': {
    reportIn();
    const limit = spec.units ?? 0;
    inBursts(() => {
      workUnit(index + done);
      done += 1;
      return limit === 0 || done < limit;
    }, finish);
    break;
  }
  case 'lost':
  case 'queue': {
    reportIn();
    const count = spec.count ?? 0;
    let unsent: number[] = [];
    inBursts(
      () => {
        if (done >= count) return false;
        const value = makeResult();
        results.push(value);
        if (spec.mode === 'queue') {
          unsent.push(value);
          if (unsent.length >= ITEMS_PER_MESSAGE) {
            send({ type: 'items', index, values: unsent });
            unsent = [];
          }
        }
        done += 1;
        return true;
      },
      () => {
        if (unsent.length > 0) send({ type: 'items', index, values: unsent });
        finish();
      },
    );
    break;
  }
  case 'memory': {
    // The data set: a large array, every page written so it is really in memory.
    const data = new Float64Array(((spec.megabytes ?? 0) * 1024 * 1024) / Float64Array.BYTES_PER_ELEMENT);
    for (let at = 0; at < data.length; at += 512) data[at] = at;
    done = data.length > 0 ? 1 : 0;
    (globalThis as { paratopData?: Float64Array }).paratopData = data;
    reportIn();
    break;
  }
  case 'crash':
    reportIn();
    if (index === spec.crashIndex) {
      setTimeout(() => {
        // A fatal error (a segfault in native code, say) ends the whole process, every thread of it.
        // SIGKILL does that without leaving a core dump behind.
        if (spec.crashHow === 'fatal') process.kill(process.pid, 'SIGKILL');
        throw new Error(`worker ${index} crashed on purpose`);
      }, 300);
    }
    break;
  case 'latency':
    reportIn();
    void gate.then(() =>
      timeLatencies(
        spec,
        () => running,
        (bytes, nsPerLoad) => {
          done += 1;
          send({ type: 'latency', bytes, nsPerLoad });
        },
      ).then(() => {
        if (running) finish();
      }),
    );
    break;
  case 'chase': {
    // Built before reporting in, so the clock starts with every worker's set in place.
    let at = 0;
    const set = workingSet((spec.megabytes ?? 1) * 1024 * 1024, spec.lineBytes ?? 64);
    const loadsPerUnit = spec.count ?? 1 << 14;
    reportIn();
    inBursts(() => {
      at = set.chase(loadsPerUnit, at);
      done += 1;
      return true;
    }, finish);
    break;
  }
  case 'tasks':
  case 'idle':
  case 'echo':
    reportIn();
    break;
  default:
    reportIn();
    send({ type: 'error', message: `processes cannot run mode "${spec.mode}"` });
}

process.on('message', (message: unknown) => {
  if (!isToWorkload(message)) return;
  handle(message);
});

function handle(message: ToWorkload): void {
  switch (message.type) {
    case 'ping':
      send({ type: 'pong', id: message.id });
      return;
    case 'go':
      go();
      return;
    case 'task': {
      const score = trainAndScore(message.units, message.params);
      done += message.units;
      send({ type: 'task-done', task: message.task, score });
      return;
    }
    case 'stop':
      running = false;
      clearInterval(progress);
      send({ type: 'progress', units: [done], final: true }, () => process.exit(0));
      return;
  }
}
