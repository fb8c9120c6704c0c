import type { DashboardState, StatusMessage } from '../model/dashboard-state.js';

/** How long a message stays on the bottom line. */
const STATUS_MS = 5000;

/** A message for the bottom line, shown from `now` for a few seconds. */
export function status(
  now: number,
  text: string,
  tone: StatusMessage['tone'] = 'info',
  seconds = STATUS_MS / 1000,
): StatusMessage {
  return { text, tone, until: now + seconds * 1000 };
}

/** The state with `text` on the bottom line. */
export function say(state: DashboardState, text: string, tone: StatusMessage['tone'] = 'info'): DashboardState {
  return { ...state, status: status(state.now, text, tone) };
}
