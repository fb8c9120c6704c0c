/**
 * A workload must never outlive paratop, even when paratop is killed with SIGKILL and can clean
 * nothing up. So each workload process watches its parent itself: the IPC channel closes when the
 * parent dies, and as a second line the parent PID changes (the orphan is re-parented).
 */
const POLL_MS = 250;

export function exitWhenParentDies(onParentGone: () => void = () => process.exit(0)): void {
  const parent = process.ppid;
  process.on('disconnect', onParentGone);
  const timer = setInterval(() => {
    if (process.ppid !== parent) onParentGone();
  }, POLL_MS);
  timer.unref();
}
