import type { GpuProcessFigures, GpuSample, GpuSourceKind } from '../model/types.js';

/**
 * The GPUs and each process's use of them. NVIDIA: linux/nvidia-smi-source.ts (one looping
 * nvidia-smi child per query, read as a stream); AMD and Intel: linux/drm-gpu-source.ts (sysfs and
 * /proc/PID/fdinfo); no GPU: fallback/no-gpu-source.ts, which says why. Picked by create-gpu-source.ts.
 */
export interface GpuSource {
  readonly kind: GpuSourceKind | 'none';
  /** The source in a line for `info`, or why there is none. */
  readonly note: string;
  /** Start reading (the streaming child); until then, and after close, nothing is running. */
  start(): void;
  /** Resolves once the first figures are in, or after `timeoutMs`, whichever is first. */
  ready(timeoutMs: number): Promise<void>;
  /** The GPUs now (the stream's latest lines, or sysfs read now). Cheap: at the meters' cadence. */
  sampleGpus(): GpuSample[];
  /** GPU use by PID, for the processes in `pids`; at the process scan's cadence. */
  sampleProcessUse(pids: readonly number[]): Map<number, GpuProcessFigures>;
  /** End the child for good: no restart after this. */
  close(): void;
}
