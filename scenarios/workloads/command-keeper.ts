import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createLinkSource } from '../../src/lab/process-links.js';
import { exitWhenParentDies } from './parent-watch.js';
import type { FromKeeper, KeeperSpec } from './protocol.js';

/**
 * Starts the user's command for paratop and stands guard over it. The command gets a session and
 * process group of its own (setsid), so everything it starts can be found and signalled together.
 * The keeper is its parent, so it can tell paratop the command's exact CPU time when it ends (from
 * the children's times the kernel hands the parent who waits), and it outlives paratop long enough
 * to end the command's session if paratop dies without cleaning up (SIGKILL included).
 */
const spec = JSON.parse(process.argv[2] ?? '{}') as KeeperSpec;
process.title = 'paratop-keeper';
const links = createLinkSource();
let rootPid: number | null = null;

function send(message: FromKeeper): void {
  if (process.connected) process.send?.(message);
}

/** Our waited-for children's CPU time, in seconds: after the command is reaped, all of its own. */
function reapedCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime); the slice starts at field 3.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** The command's processes still alive: its process group and its session (zombies are gone). */
function sessionMembers(): number[] {
  if (rootPid === null) return [];
  const root = rootPid;
  return links.read().filter((link) => link.sid === root || link.pgid === root).map((link) => link.pid);
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
  kill(-rootPid);
  // Processes that left the group but not the session.
  for (const pid of sessionMembers()) kill(pid);
}

let sweeping = false;
/** paratop is gone or asks us to go: end the command's session (SIGTERM, up to a second, SIGKILL), then ourselves. */
function sweepAndExit(): void {
  if (sweeping) return;
  sweeping = true;
  if (sessionMembers().length === 0) process.exit(0);
  signalSession('SIGTERM');
  const deadline = Date.now() + 1000;
  const timer = setInterval(() => {
    if (sessionMembers().length > 0 && Date.now() < deadline) return;
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
  send({ type: 'exited', code, signal, cpuSeconds: reapedCpuSeconds(), wallSeconds: (performance.now() - spawnedAt) / 1000 });
});
