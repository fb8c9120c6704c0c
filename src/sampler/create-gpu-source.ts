import type { GpuProcessFigures, GpuSample } from '../model/types.js';
import { type GpuDetection, NVIDIA, detectGpus } from './detect-gpus.js';
import { NoGpuSource } from './fallback/no-gpu-source.js';
import type { GpuSource } from './gpu-source.js';

export { type GpuDetection, detectGpus };

/** Why there is no GPU source, in a line. */
export const NO_GPU_NOTE = 'no GPU: nvidia-smi not on PATH and no /sys/class/drm card';

/**
 * NVIDIA GPUs through nvidia-smi where it is on the PATH; other cards (and NVIDIA's without
 * nvidia-smi) through the kernel's DRM files; both where a machine has both; else nothing. The
 * implementations are loaded only when there is something for them to read.
 */
export async function createGpuSource(
  detection: GpuDetection,
  options: { loopMs: number; sysRoot?: string; procRoot?: string },
): Promise<GpuSource> {
  const sources: GpuSource[] = [];
  if (detection.nvidiaSmi) {
    const { NvidiaSmiSource } = await import('./linux/nvidia-smi-source.js');
    sources.push(new NvidiaSmiSource({ command: detection.nvidiaSmi, loopMs: options.loopMs }));
  }
  const drmCards = detection.cards
    .filter((card) => !(detection.nvidiaSmi && card.vendorId === NVIDIA))
    .map((card) => card.card);
  if (drmCards.length > 0) {
    const { DrmGpuSource } = await import('./linux/drm-gpu-source.js');
    sources.push(
      new DrmGpuSource({
        cards: drmCards,
        renderNodes: detection.renderNodes,
        sysRoot: options.sysRoot,
        procRoot: options.procRoot,
      }),
    );
  }
  if (sources.length === 0) return new NoGpuSource(NO_GPU_NOTE);
  return sources.length === 1 ? (sources[0] as GpuSource) : new BothGpuSources(sources);
}

/** NVIDIA through nvidia-smi and other cards through DRM, on one machine. */
class BothGpuSources implements GpuSource {
  readonly kind;
  readonly note: string;

  constructor(private readonly sources: GpuSource[]) {
    this.kind = sources[0]?.kind ?? 'none';
    this.note = sources.map((source) => source.note).join('; ');
  }

  start(): void {
    for (const source of this.sources) source.start();
  }

  async ready(timeoutMs: number): Promise<void> {
    await Promise.all(this.sources.map((source) => source.ready(timeoutMs)));
  }

  sampleGpus(): GpuSample[] {
    return this.sources.flatMap((source) => source.sampleGpus());
  }

  sampleProcessUse(pids: readonly number[]): Map<number, GpuProcessFigures> {
    const merged = new Map<number, GpuProcessFigures>();
    for (const source of this.sources)
      for (const [pid, use] of source.sampleProcessUse(pids)) {
        const held = merged.get(pid);
        merged.set(pid, {
          gpuMemoryBytes: sumOrNull(held?.gpuMemoryBytes ?? null, use.gpuMemoryBytes),
          gpuPercent: sumOrNull(held?.gpuPercent ?? null, use.gpuPercent),
        });
      }
    return merged;
  }

  close(): void {
    for (const source of this.sources) source.close();
  }
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}
