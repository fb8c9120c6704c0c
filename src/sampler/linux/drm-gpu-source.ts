import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuProcessFigures, GpuSample } from '../../model/types.js';
import type { GpuSource } from '../gpu-source.js';
import {
  type DrmClient,
  type ClientEngines,
  cardBusyFromClients,
  distinctClients,
  parseDrmFdinfo,
  processGpuPercent,
  totalMemoryBytes,
} from './parse-drm-fdinfo.js';
import { drmCardInfo, sysfsNumber } from './parse-drm-sysfs.js';

export interface DrmOptions {
  /** The DRM cards (card0, card1, ...) found in /sys/class/drm. */
  cards: readonly string[];
  /** Whether render nodes exist: without them no process holds a GPU client worth reading. */
  renderNodes: boolean;
  sysRoot?: string;
  procRoot?: string;
  /** A monotonic clock, ms. */
  now?: () => number;
}

/** A process that had no DRM client is looked at again only after this long, as htop does. */
const IDLE_RECHECK_MS = 5000;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/**
 * AMD, Intel and other kernel DRM drivers: each card's figures from sysfs (amdgpu's
 * gpu_busy_percent and mem_info_vram_*, hwmon), each process's from the DRM keys in its fdinfo
 * (drm-engine-* in ns or xe's drm-cycles-*, drm-memory-*, drm-resident-*), read only for fds that
 * are DRM device files.
 */
export class DrmGpuSource implements GpuSource {
  readonly kind = 'drm' as const;
  readonly note: string;
  private readonly sysRoot: string;
  private readonly procRoot: string;
  private readonly now: () => number;
  private readonly idleUntil = new Map<number, number>();
  /** Each client's engine counters at the last scan (by PID, card and client id): GPU% and card busy. */
  private clientEngines = new Map<string, ClientEngines>();
  private clientsReadAt: number | null = null;
  private cardBusy = new Map<string, number | null>();

  constructor(private readonly options: DrmOptions) {
    this.sysRoot = options.sysRoot ?? '/sys';
    this.procRoot = options.procRoot ?? '/proc';
    this.now = options.now ?? (() => performance.now());
    this.note = `kernel DRM: ${options.cards.join(', ')} (sysfs${options.renderNodes ? ', per-process fdinfo' : ''})`;
  }

  start(): void {}

  ready(): Promise<void> {
    return Promise.resolve();
  }

  sampleGpus(): GpuSample[] {
    return this.options.cards.flatMap((card) => {
      const device = join(this.sysRoot, 'class/drm', card, 'device');
      const info = drmCardInfo(card, (name) => readText(join(device, name)));
      if (!info) return [];
      const hwmon = listDir(join(device, 'hwmon'))[0];
      const fromHwmon = (name: string): number | null =>
        hwmon ? sysfsNumber(readText(join(device, 'hwmon', hwmon, name))) : null;
      const milliC = fromHwmon('temp1_input');
      const microW = fromHwmon('power1_average') ?? fromHwmon('power1_input');
      const sclkHz = fromHwmon('freq1_input');
      const mclkHz = fromHwmon('freq2_input');
      const busy = sysfsNumber(readText(join(device, 'gpu_busy_percent')));
      return [
        {
          ...info,
          utilPercent: busy ?? (info.pciBusId ? (this.cardBusy.get(info.pciBusId) ?? null) : null),
          memoryUsedBytes: sysfsNumber(readText(join(device, 'mem_info_vram_used'))),
          memoryTotalBytes: sysfsNumber(readText(join(device, 'mem_info_vram_total'))),
          temperatureC: milliC === null ? null : milliC / 1000,
          powerWatts: microW === null ? null : microW / 1e6,
          smClockMHz: sclkHz === null ? null : Math.round(sclkHz / 1e6),
          memoryClockMHz: mclkHz === null ? null : Math.round(mclkHz / 1e6),
        },
      ];
    });
  }

  sampleProcessUse(pids: readonly number[]): Map<number, GpuProcessFigures> {
    const found = new Map<number, GpuProcessFigures>();
    if (!this.options.renderNodes) return found;
    const at = this.now();
    const elapsed = this.clientsReadAt === null ? 0 : at - this.clientsReadAt;
    const clientEngines = new Map<string, ClientEngines>();
    for (const pid of pids) {
      if ((this.idleUntil.get(pid) ?? 0) > at) continue;
      const clients = this.clientsOf(pid);
      if (clients.length === 0) {
        this.idleUntil.set(pid, at + IDLE_RECHECK_MS);
        continue;
      }
      this.idleUntil.delete(pid);
      const own = new Map<string, ClientEngines>();
      for (const client of clients) {
        const pdev = client.pdev ?? '';
        own.set(`${pid}/${pdev}/${client.clientId}`, { ...client, pdev });
      }
      for (const [key, engines] of own) clientEngines.set(key, engines);
      found.set(pid, {
        gpuMemoryBytes: totalMemoryBytes(clients),
        gpuPercent: processGpuPercent(this.clientEngines, own, elapsed),
      });
    }
    const listed = new Set(pids);
    for (const pid of this.idleUntil.keys()) if (!listed.has(pid)) this.idleUntil.delete(pid);
    // Rebuilt each scan: a card whose clients have all gone shows no figure, not its last one.
    this.cardBusy = cardBusyFromClients(this.clientEngines, clientEngines, elapsed);
    this.clientEngines = clientEngines;
    this.clientsReadAt = at;
    return found;
  }

  close(): void {}

  /** The DRM clients a process holds: only fds that link to a DRM device file are read. */
  private clientsOf(pid: number): DrmClient[] {
    const fdDir = join(this.procRoot, String(pid), 'fd');
    const texts: (DrmClient | null)[] = [];
    for (const fd of listDir(fdDir)) {
      let target: string;
      try {
        target = readlinkSync(join(fdDir, fd));
      } catch {
        continue;
      }
      if (!target.startsWith('/dev/dri/')) continue;
      const text = readText(join(this.procRoot, String(pid), 'fdinfo', fd));
      if (text) texts.push(parseDrmFdinfo(text));
    }
    return distinctClients(texts);
  }
}
