import type { PlacedTask } from '../model/core-map.js';
import type { WorkerState } from '../model/lab-types.js';
import type { TaskProbe } from '../sampler/task-probe.js';

/** Where each of a run's workers is now: the core it last ran on, and whether it is ready to run. */
export function placeWorkers(probe: Pick<TaskProbe, 'placement'>, workers: readonly WorkerState[]): PlacedTask[] {
  const tasks: PlacedTask[] = [];
  for (const worker of workers) {
    const tid = worker.tid ?? worker.pid;
    const place = probe.placement(worker.pid, tid);
    if (place)
      tasks.push({ key: `${worker.pid}/${tid}`, label: worker.name, cpu: place.cpu, running: place.state === 'R' });
  }
  return tasks;
}
