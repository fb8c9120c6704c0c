import type { GpuProcessFigures, GpuSample } from '../../model/types.js';
import { parseAppLine, parseGpuLine, parseLostGpu, samePciAddress } from './parse-nvidia-smi.js';
import { CLASSIC_PMON_COLUMNS, type PmonColumns, parsePmonHeader, parsePmonRow } from './parse-nvidia-smi-pmon.js';

/**
 * What the looping nvidia-smi streams have said so far: the latest line per GPU, the latest loop of
 * compute processes, each process's latest sm % per GPU (pmon), and the GPUs reported lost. Fed
 * line by line; no I/O, the clock passed in.
 */
export class NvidiaSmiState {
  private readonly gpus = new Map<string, GpuSample>();
  private readonly gpuSeenAt = new Map<string, number>();
  private readonly lostAddresses = new Set<string>();
  private appsTimestamp: string | null = null;
  /** The latest loop's compute processes: memory per GPU (by UUID), null where nvidia-smi cannot tell. */
  private apps = new Map<number, Map<string, number | null>>();
  private lastAppLineAt = Number.NEGATIVE_INFINITY;
  private gpuLines = 0;
  private pmonColumns: PmonColumns = CLASSIC_PMON_COLUMNS;
  /** By "pid/gpu": pmon's latest sm % and when it came; a process not listed for a while has ended. */
  private readonly smPercent = new Map<string, { pid: number; percent: number; at: number }>();

  /**
   * @param appsExpireMs A loop with no compute process prints nothing, so the last loop's list is
   *   dropped once no line has come for this long (a few loop intervals). A GPU with no line for as
   *   long (nvidia-smi hung, restarting, or the GPU gone with another message) shows no figures,
   *   rather than its last ones frozen.
   * @param pmonExpireMs The same for pmon's rows, whose loop is whole seconds.
   */
  constructor(
    private readonly appsExpireMs: number,
    private readonly pmonExpireMs = appsExpireMs,
  ) {}

  /** Whether any GPU line has come yet. */
  get ready(): boolean {
    return this.gpuLines > 0;
  }

  gpuLine(line: string, now = 0): void {
    if (this.noteLostGpu(line)) return;
    const parsed = parseGpuLine(line);
    if (!parsed) return;
    this.gpuLines += 1;
    this.gpus.set(parsed.gpu.id, parsed.gpu);
    this.gpuSeenAt.set(parsed.gpu.id, now);
  }

  appLine(line: string, now: number): void {
    if (this.noteLostGpu(line)) return;
    const parsed = parseAppLine(line);
    if (!parsed) return;
    // A new timestamp starts a new loop: the processes of the last one that are not in it have exited.
    if (parsed.timestamp !== this.appsTimestamp) {
      this.appsTimestamp = parsed.timestamp;
      this.apps = new Map();
    }
    this.lastAppLineAt = now;
    // Set, not added: a line repeated within a loop (or a loop printed with the last one's stamp) counts once.
    const perGpu = this.apps.get(parsed.pid) ?? new Map<string, number | null>();
    perGpu.set(parsed.gpuId, parsed.memoryBytes);
    this.apps.set(parsed.pid, perGpu);
  }

  /** A line of `nvidia-smi pmon`: a header sets the columns, a process row its sm % on one GPU. */
  pmonLine(line: string, now: number): void {
    if (this.noteLostGpu(line)) return;
    const columns = parsePmonHeader(line);
    if (columns) {
      this.pmonColumns = columns;
      return;
    }
    const row = parsePmonRow(line, this.pmonColumns);
    if (row) this.smPercent.set(`${row.pid}/${row.gpuIndex}`, { pid: row.pid, percent: row.smPercent, at: now });
  }

  /** Any stream may print that a GPU fell off the bus: note its address; true if the line said so. */
  private noteLostGpu(line: string): boolean {
    const lost = parseLostGpu(line);
    if (lost) this.lostAddresses.add(lost);
    return lost !== null;
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

  /** Per process: compute memory from the apps query, GPU% (sm %, summed over its GPUs) from pmon. */
  processUse(now: number): Map<number, GpuProcessFigures> {
    const use =
      now - this.lastAppLineAt > this.appsExpireMs
        ? new Map<number, GpuProcessFigures>()
        : new Map(
            [...this.apps].map(([pid, perGpu]) => [pid, { gpuMemoryBytes: memorySum(perGpu), gpuPercent: null }]),
          );
    for (const [key, reading] of this.smPercent) {
      if (now - reading.at > this.pmonExpireMs) {
        this.smPercent.delete(key);
        continue;
      }
      const held = use.get(reading.pid) ?? { gpuMemoryBytes: null, gpuPercent: null };
      use.set(reading.pid, { ...held, gpuPercent: (held.gpuPercent ?? 0) + reading.percent });
    }
    return use;
  }
}

/** A process's memory over its GPUs (several GPUs add up); null when no GPU's figure is known. */
function memorySum(perGpu: ReadonlyMap<string, number | null>): number | null {
  const known = [...perGpu.values()].filter((bytes): bytes is number => bytes !== null);
  return known.length === 0 ? null : known.reduce((sum, bytes) => sum + bytes, 0);
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
