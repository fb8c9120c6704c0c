import type { GpuProcessFigures, ProcessSample } from './types.js';

/** The processes with their GPU figures from a GPU source's reading (by PID); the rest keep nulls. Pure. */
export function withGpuUse(
  processes: readonly ProcessSample[],
  use: ReadonlyMap<number, GpuProcessFigures>,
): ProcessSample[] {
  if (use.size === 0) return processes as ProcessSample[];
  return processes.map((process) => {
    const figures = use.get(process.pid);
    return figures ? { ...process, ...figures } : process;
  });
}
