import { accessSync, constants, readFileSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { GpuProcessFigures, GpuSample } from '../model/types.js';
import { NoGpuSource } from './fallback/no-gpu-source.js';
import type { GpuSource } from './gpu-source.js';
import { DrmGpuSource } from './linux/drm-gpu-source.js';
import { NvidiaSmiSource } from './linux/nvidia-smi-source.js';

/** What is there to read GPUs with: found without starting anything (a PATH look-up and a readdir). */
export interface GpuDetection {
  /** nvidia-smi's path on the PATH, or null. */
  nvidiaSmi: string | null;
  /** DRM cards of a GPU vendor, with their vendor ("card0" -> "0x1002"). */
  cards: { card: string; vendorId: string }[];
  /** Whether /sys/class/drm has render nodes (renderD128, ...): processes may hold GPU clients. */
  renderNodes: boolean;
}

/** PCI vendor IDs of GPU makers; a VM's virtual display adapter (virtio, bochs, QXL) is no GPU here. */
const GPU_VENDORS = new Set(['0x1002', '0x8086', '0x10de']);
const NVIDIA = '0x10de';

function onPath(program: string, env: Readonly<Record<string, string | undefined>>): string | null {
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(folder, program);
    try {
      if (statSync(path).isFile()) {
        accessSync(path, constants.X_OK);
        return path;
      }
    } catch {
      // not here: the next folder
    }
  }
  return null;
}

export function detectGpus(
  env: Readonly<Record<string, string | undefined>> = process.env,
  sysRoot = '/sys',
): GpuDetection {
  if (env.PARATOP_GPU === 'off') return { nvidiaSmi: null, cards: [], renderNodes: false };
  let entries: string[] = [];
  try {
    entries = readdirSync(join(sysRoot, 'class/drm'));
  } catch {
    // no DRM at all (most servers without a display, containers, macOS)
  }
  const cards = entries
    .filter((entry) => /^card\d+$/.test(entry))
    .flatMap((card) => {
      try {
        const vendorId = readFileSync(join(sysRoot, 'class/drm', card, 'device/vendor'), 'utf8')
          .trim()
          .toLowerCase();
        return GPU_VENDORS.has(vendorId) ? [{ card, vendorId }] : [];
      } catch {
        return [];
      }
    });
  return {
    nvidiaSmi: onPath('nvidia-smi', env),
    cards,
    renderNodes: entries.some((entry) => /^renderD\d+$/.test(entry)),
  };
}

/** Why there is no GPU source, in a line. */
export const NO_GPU_NOTE = 'no GPU: nvidia-smi not on PATH and no /sys/class/drm card';

/**
 * NVIDIA GPUs through nvidia-smi where it is on the PATH; other cards (and NVIDIA's without
 * nvidia-smi) through the kernel's DRM files; both where a machine has both; else nothing.
 */
export function createGpuSource(
  detection: GpuDetection,
  options: { loopMs: number; sysRoot?: string; procRoot?: string },
): GpuSource {
  const sources: GpuSource[] = [];
  if (detection.nvidiaSmi) sources.push(new NvidiaSmiSource({ command: detection.nvidiaSmi, loopMs: options.loopMs }));
  const drmCards = detection.cards
    .filter((card) => !(detection.nvidiaSmi && card.vendorId === NVIDIA))
    .map((card) => card.card);
  if (drmCards.length > 0)
    sources.push(
      new DrmGpuSource({
        cards: drmCards,
        renderNodes: detection.renderNodes,
        sysRoot: options.sysRoot,
        procRoot: options.procRoot,
      }),
    );
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
