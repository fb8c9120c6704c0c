import { quote } from 'shell-quote';
import type { CommandRequest } from './command-line.js';
import type { DistributedEngine } from './engine-runtime.js';

/** What the grid's task program is told: the same for every engine, so every engine does the same work. */
export interface GridProgramSpec {
  engine: DistributedEngine;
  grid: number[];
  taskMs: number;
  workers: number;
  /** Dask: the user's scheduler; none starts a local cluster. */
  scheduler?: string;
  /** The program ends by itself after this long, whatever happens. */
  maxSeconds: number;
}

export interface EngineLaunch {
  python: string;
  /** paratop_grid.py */
  program: string;
  /** MPI: mpirun's path. */
  mpirun?: string | null;
  hostfile?: string;
  /** Open MPI refuses root without --allow-run-as-root; it is given only then. */
  asRoot: boolean;
}

/**
 * The command that runs the grid on an engine. Dask: the task program itself, which starts (and
 * ends) a local cluster or connects to the user's scheduler. MPI: mpirun with one rank more than
 * workers, as mpi4py.futures makes rank 0 the one that hands out the tasks.
 */
export function engineCommand(spec: GridProgramSpec, launch: EngineLaunch): CommandRequest {
  const program = [launch.python, launch.program, JSON.stringify(spec)];
  const argv =
    spec.engine === 'dask'
      ? program
      : [
          launch.mpirun ?? 'mpirun',
          '-np',
          String(spec.workers + 1),
          // More ranks than cores here is the point on a small machine; on a cluster the host file decides.
          '--oversubscribe',
          ...(launch.asRoot ? ['--allow-run-as-root'] : []),
          ...(launch.hostfile ? ['--hostfile', launch.hostfile] : []),
          launch.python,
          '-m',
          'mpi4py.futures',
          ...program.slice(1),
        ];
  // The spec is long and says nothing a person needs: shown as {spec}.
  return { argv, display: `${quote(argv.slice(0, -1))} {spec}`, shell: false };
}
