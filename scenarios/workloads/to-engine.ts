import type { ToEngine } from '../../src/lab/protocol.js';

/** Send a message to paratop over IPC; `then` runs once it is written (or at once without a channel). */
export function sendToEngine(message: ToEngine, then?: () => void): void {
  if (process.send && process.connected) process.send(message, undefined, undefined, () => then?.());
  else then?.();
}
