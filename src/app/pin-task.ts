import type { AffinityTarget } from '../model/dashboard-state.js';
import { formatCpuList } from '../model/cpu-list.js';
import type { ProcessIdentity } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { AffinityOutcome } from '../sampler/cpu-affinity.js';

export interface PinOutcome {
  ok: boolean;
  text: string;
}

export interface PinDeps {
  identify(pid: number): Promise<ProcessIdentity | null>;
  selfPid: number;
  setAffinity(pid: number, cores: readonly number[], allThreads: boolean): Promise<AffinityOutcome>;
  /** Whether the thread is still one of the process's: a TID, too, may be reused by another process. */
  hasThread(pid: number, tid: number): Promise<boolean>;
}

function whoIs(target: AffinityTarget): string {
  const name = toPrintable(target.name);
  return target.tid === null ? `PID ${target.pid} (${name})` : `thread ${target.tid} of PID ${target.pid} (${name})`;
}

/**
 * Sets the cores of only the very process the user chose, as sendSignal signals it: never PID 1 or
 * paratop, never a newcomer that inherited the PID (its start time differs). Every outcome is a
 * sentence for the status line.
 */
export async function pinTask(target: AffinityTarget, cores: readonly number[], deps: PinDeps): Promise<PinOutcome> {
  const who = whoIs(target);
  const list = formatCpuList(cores);
  if (target.pid <= 1) return { ok: false, text: `PID ${target.pid} is init; paratop will not pin it.` };
  if (target.pid === deps.selfPid) return { ok: false, text: 'That is paratop itself; paratop will not pin itself.' };
  if (cores.length === 0) return { ok: false, text: `No core chosen for ${who}; nothing was changed.` };
  const now = await deps.identify(target.pid);
  if (!now) return { ok: false, text: `${who} has already exited; nothing was changed.` };
  if (now.startToken !== target.startToken) {
    return {
      ok: false,
      text:
        `PID ${target.pid} now belongs to another process ` +
        `(${toPrintable(target.name)} exited and its PID was reused); nothing was changed.`,
    };
  }
  if (target.tid !== null && !(await deps.hasThread(target.pid, target.tid)))
    return { ok: false, text: `${who} has already exited; nothing was changed.` };
  const outcome = await deps.setAffinity(target.tid ?? target.pid, cores, target.tid === null);
  if (outcome.ok) {
    const scope = target.tid === null ? ', every thread' : '';
    return { ok: true, text: `Pinned ${who} to core${cores.length === 1 ? '' : 's'} ${list}${scope}.` };
  }
  const user = toPrintable(target.user);
  switch (outcome.failure) {
    case 'no-tool':
      return {
        ok: false,
        text: 'taskset is not installed, so paratop cannot pin (it comes with util-linux: apt-get install util-linux).',
      };
    case 'not-permitted': {
      const advice =
        user === 'root' ? 'Only root may change it (run paratop with sudo).' : `Run paratop as ${user} or as root.`;
      return { ok: false, text: `Not permitted to pin ${who}: it belongs to ${user}. ${advice}` };
    }
    case 'gone':
      return { ok: false, text: `${who} has already exited; nothing was changed.` };
    case 'invalid':
      return { ok: false, text: `${who} may not run on core(s) ${list} (offline, or outside its cpuset).` };
    default:
      return { ok: false, text: `Could not pin ${who}: ${toPrintable(outcome.detail)}` };
  }
}
