import type { KillTarget } from '../model/dashboard-state.js';
import type { KillSignal } from '../model/signals.js';
import type { ProcessIdentity } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';

export interface SignalOutcome {
  ok: boolean;
  text: string;
}

export interface SignalDeps {
  identify(pid: number): Promise<ProcessIdentity | null>;
  selfPid: number;
  kill?: (pid: number, signal: KillSignal) => void;
}

/**
 * Sends a signal only to the very process the user chose: never PID 1 or paratop, and never a
 * newcomer that inherited the PID (its start time differs). Every outcome is a sentence for the
 * status line. A reuse in the microseconds between the check and kill(2) remains possible; Node
 * has no pidfd API to close that gap.
 */
export async function sendSignal(target: KillTarget, signal: KillSignal, deps: SignalDeps): Promise<SignalOutcome> {
  const who = `PID ${target.pid} (${toPrintable(target.name)})`;
  if (target.pid <= 1) return { ok: false, text: `PID ${target.pid} is init; paratop will not signal it.` };
  if (target.pid === deps.selfPid) return { ok: false, text: 'That is paratop itself. Press q to quit instead.' };
  const now = await deps.identify(target.pid);
  if (!now) return { ok: false, text: `${who} has already exited; nothing was sent.` };
  if (now.startToken !== target.startToken) {
    return {
      ok: false,
      text:
        `PID ${target.pid} now belongs to another process ` +
        `(${toPrintable(target.name)} exited and its PID was reused); nothing ` +
        `was sent.`,
    };
  }
  try {
    (deps.kill ?? ((pid, name) => process.kill(pid, name)))(target.pid, signal);
    return { ok: true, text: `Sent ${signal} to ${who}.` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM') {
      const user = toPrintable(target.user);
      const advice =
        user === 'root' ? 'Only root may signal it (run paratop with sudo).' : `Run paratop as ${user} or as root.`;
      return { ok: false, text: `Not permitted to signal ${who}: it belongs to ${user}. ${advice}` };
    }
    if (code === 'ESRCH') return { ok: false, text: `${who} has already exited; nothing was sent.` };
    return { ok: false, text: `Could not signal ${who}: ${(error as Error).message}` };
  }
}
