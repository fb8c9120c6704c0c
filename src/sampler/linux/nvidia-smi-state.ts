import type { GpuProcessFigures, GpuSample } from '../../model/types.js';
import { parseAppLine, parseGpuLine, parseLostGpu, samePciAddress } from './parse-nvidia-smi.js';

/**
 * What the two looping nvidia-smi streams have said so far: the latest line per GPU, the latest loop
 * of compute processes, and the GPUs reported lost. Fed line by line; no I/O, the clock passed in.
 */
export class NvidiaSmiState {
  private readonly gpus = new Map<string, GpuSample>();
  private readonly gpuSeenAt = new Map<string, number>();
  private readonly lostAddresses = new Set<string>();
  private appsTimestamp: string | null = null;
  private apps = new Map<number, GpuProcessFigures>();
  private lastAppLineAt = Number.NEGATIVE_INFINITY;
  private gpuLines = 0;

  /**
   * @param appsExpireMs A loop with no compute process prints nothing, so the last loop's list is
   *   dropped once no line has come for this long (a few loop intervals). A GPU with no line for as
   *   long (nvidia-smi hung, restarting, or the GPU gone with another message) shows no figures,
   *   rather than its last ones frozen.
   */
  constructor(private readonly appsExpireMs: number) {}

  /** Whether any GPU line has come yet. */
  get ready(): boolean {
    return this.gpuLines > 0;
  }

  gpuLine(line: string, now = 0): void {
    const lost = parseLostGpu(line);
    if (lost) {
      this.lostAddresses.add(lost);
      return;
    }
    const parsed = parseGpuLine(line);
    if (!parsed) return;
    this.gpuLines += 1;
    this.gpus.set(parsed.gpu.id, parsed.gpu);
    this.gpuSeenAt.set(parsed.gpu.id, now);
  }

  appLine(line: string, now: number): void {
    const lost = parseLostGpu(line);
    if (lost) {
      this.lostAddresses.add(lost);
      return;
    }
    const parsed = parseAppLine(line);
    if (!parsed) return;
    // A new timestamp starts a new loop: the processes of the last one that are not in it have exited.
    if (parsed.timestamp !== this.appsTimestamp) {
      this.appsTimestamp = parsed.timestamp;
      this.apps = new Map();
    }
    this.lastAppLineAt = now;
    const held = this.apps.get(parsed.pid);
    // A process on several GPUs has a line for each: its memory is their sum.
    const memory =
      held?.gpuMemoryBytes === undefined || held.gpuMemoryBytes === null
        ? parsed.memoryBytes
        : held.gpuMemoryBytes + (parsed.memoryBytes ?? 0);
    this.apps.set(parsed.pid, { gpuMemoryBytes: memory, gpuPercent: null });
  }

  /**
   * Every GPU seen, by index; one whose address was reported lost is marked so, and one lost before
   * it was ever read shows by its address alone.
   */
  gpuSamples(now?: number): GpuSample[] {
    const seen = [...this.gpus.values()]
      .sort((a, b) => a.index - b.index)
      .map((gpu) =>
        now !== undefined && now - (this.gpuSeenAt.get(gpu.id) ?? now) > this.appsExpireMs ? stale(gpu) : gpu,
      );
    const marked = seen.map((gpu) => {
      const lost = [...this.lostAddresses].some(
        (address) => gpu.pciBusId !== null && samePciAddress(address, gpu.pciBusId),
      );
      return lost ? { ...gpu, lost: true, utilPercent: null } : gpu;
    });
    const unread = [...this.lostAddresses].filter(
      (address) => !seen.some((gpu) => gpu.pciBusId !== null && samePciAddress(address, gpu.pciBusId)),
    );
    const next = (seen.at(-1)?.index ?? -1) + 1;
    return [...marked, ...unread.map((address, offset) => lostOnly(address, next + offset))];
  }

  processUse(now: number): Map<number, GpuProcessFigures> {
    if (now - this.lastAppLineAt > this.appsExpireMs) return new Map();
    return new Map(this.apps);
  }
}

/** A GPU nothing has been heard from lately: what it is, without figures that would be old. */
function stale(gpu: GpuSample): GpuSample {
  return {
    ...gpu,
    utilPercent: null,
    memoryUsedBytes: null,
    temperatureC: null,
    powerWatts: null,
    smClockMHz: null,
    memoryClockMHz: null,
  };
}

function lostOnly(address: string, index: number): GpuSample {
  return {
    index,
    id: address,
    name: `GPU ${address}`,
    vendor: 'nvidia',
    source: 'nvidia-smi',
    pciBusId: address,
    utilPercent: null,
    memoryUsedBytes: null,
    memoryTotalBytes: null,
    temperatureC: null,
    powerWatts: null,
    smClockMHz: null,
    memoryClockMHz: null,
    lost: true,
  };
}
