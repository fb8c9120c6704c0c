import type { GpuProcessFigures, GpuSample } from '../../model/types.js';
import type { GpuSource } from '../gpu-source.js';

/** No GPU, or none paratop can read: nothing to start, nothing to show, one line for `info`. */
export class NoGpuSource implements GpuSource {
  readonly kind = 'none' as const;

  constructor(readonly note: string) {}

  start(): void {}

  ready(): Promise<void> {
    return Promise.resolve();
  }

  sampleGpus(): GpuSample[] {
    return [];
  }

  sampleProcessUse(): Map<number, GpuProcessFigures> {
    return new Map();
  }

  close(): void {}
}
