/** Send a signal to a PID the lab started; one that has already gone (or is not ours) is not an error. */
export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone, or not ours to signal
  }
}
