/**
 * A workload must never outlive paratop, even when paratop is killed with SIGKILL and can clean
 * nothing up. So each workload process watches its parent itself: the IPC channel closes when the
 * parent dies, and as a second line the parent PID changes (the orphan is re-parented). paratop
 * may die before this code even runs, so the expected parent is passed in rather than read here.
 */
const POLL_MS = 250;

export function exitWhenParentDies(parentPid: number, onParentGone: () => void = () => process.exit(0)): void {
  const gone = (): boolean => process.ppid !== parentPid || !process.connected;
  if (gone()) {
    onParentGone();
    return;
  }
  process.on('disconnect', onParentGone);
  const timer = setInterval(() => {
    if (gone()) onParentGone();
  }, POLL_MS);
  timer.unref();
}
