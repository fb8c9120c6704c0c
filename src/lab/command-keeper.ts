import { spawn } from 'node:child_process';
import { createTreeScanner } from '../sampler/create-probes.js';
import type { ProcessLink } from '../sampler/process-tree-scanner.js';
import { followTree } from './process-tree.js';
import { type FromKeeper, type KeeperSpec, exitWhenParentDies, isToKeeper } from './protocol.js';

/**
 * Starts the user's command for paratop and stands guard over it. The command gets a session and
 * process group of its own (setsid), so everything it starts can be found and signalled together.
 * The keeper is its parent, so it can tell paratop the command's exact CPU time when it ends (from
 * the children's times the kernel hands the parent who waits), and it outlives paratop long enough
 * to end the command's session if paratop dies without cleaning up (SIGKILL included), and with it
 * every process paratop told it it follows (those that left the session with setsid among them).
 */
const spec = JSON.parse(process.argv[2] ?? '{}') as KeeperSpec;
process.title = 'paratop-keeper';
const scanner = createTreeScanner();
let rootPid: number | null = null;
/** The command's processes paratop follows, PID -> start token, as it last said. */
let followed = new Map<number, string>();
/** When the command was reaped, on the clock of processes' start times; null while it has not been. */
let reapedAt: number | null = null;

function send(message: FromKeeper): void {
  if (process.connected) process.send?.(message);
}

/** Our waited-for children's CPU time, in seconds: after the command is reaped, all of its own. */
function reapedCpuSeconds(): number | null {
  return scanner.one(process.pid)?.reapedCpuSeconds ?? null;
}

/** Now, on the clock of processes' start times; where start times are unknown, "forever". */
function startClockNow(): number {
  return scanner.startClockNow() ?? Number.MAX_SAFE_INTEGER;
}

/**
 * The command's processes still alive (zombies are gone), each sure to be the command's: the
 * processes paratop follows (same PID and start time), those of the command's session, and all
 * their descendants. The session's number (the command's PID) cannot be given to another process
 * while the command is unreaped, nor while any process of its session lives; once the command has
 * been reaped, only session members that started before that are taken as its (a stranger given
 * the number later would start after).
 */
function members(): ProcessLink[] {
  if (rootPid === null) return [];
  const root = rootPid;
  const all = scanner.read();
  const trusted = new Map(followed);
  for (const link of all)
    if (link.sid === root && (reapedAt === null || link.startedAt <= reapedAt)) trusted.set(link.pid, link.startToken);
  trusted.delete(process.pid);
  return followTree(all, trusted, -1).filter((link) => link.pid !== process.pid);
}

function signalSession(signal: NodeJS.Signals): void {
  if (rootPid === null) return;
  const kill = (pid: number): void => {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already, or not ours
    }
  };
  const found = members();
  // The group -root is the command's while the command is unreaped (we are its parent, so its PID
  // cannot be reused until we wait for it), or while one of its session, known to be its, lives.
  if (reapedAt === null || found.some((link) => link.sid === rootPid)) kill(-rootPid);
  // Those that left the group, or the session: each only if it still has the start time it had.
  for (const link of found) if (scanner.isSame(link.pid, link.startToken)) kill(link.pid);
}

let sweeping = false;
/** paratop is gone or asks us to go: end the command's session (SIGTERM, up to a second, SIGKILL), then ourselves. */
function sweepAndExit(): void {
  if (sweeping) return;
  sweeping = true;
  if (members().length === 0) process.exit(0);
  signalSession('SIGTERM');
  const deadline = Date.now() + 1000;
  const timer = setInterval(() => {
    if (members().length > 0 && Date.now() < deadline) return;
    clearInterval(timer);
    signalSession('SIGKILL');
    process.exit(0);
  }, 50);
}

exitWhenParentDies(spec.parentPid, sweepAndExit);
process.on('SIGTERM', sweepAndExit);
process.on('SIGHUP', sweepAndExit);
// Ctrl-C in a terminal reaches paratop too, which stops the command in stages; we wait for that.
process.on('SIGINT', () => undefined);
process.on('message', (message) => {
  if (isToKeeper(message)) followed = new Map(message.processes);
});

const [program = '', ...args] = spec.argv;
// Output is a pipe to paratop, so Python would hold prints back in a buffer: ask it not to.
const env = { ...process.env, PYTHONUNBUFFERED: process.env.PYTHONUNBUFFERED ?? '1' };
const child = spawn(program, args, { detached: true, stdio: ['ignore', 'inherit', 'inherit'], cwd: spec.cwd, env });
child.on('error', (error) => {
  // paratop hears why, and ends us.
  send({ type: 'spawn-failed', message: error.message });
});
let spawnedAt = 0;
child.on('spawn', () => {
  spawnedAt = performance.now();
  rootPid = child.pid ?? null;
  send({ type: 'started', pid: child.pid ?? 0 });
});
child.on('exit', (code, signal) => {
  reapedAt = startClockNow();
  send({
    type: 'exited',
    code,
    signal,
    cpuSeconds: reapedCpuSeconds(),
    wallSeconds: (performance.now() - spawnedAt) / 1000,
  });
});
