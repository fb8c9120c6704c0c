import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from './find-on-path.js';

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
export const NVIDIA = '0x10de';

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
    nvidiaSmi: findOnPath('nvidia-smi', env),
    cards,
    renderNodes: entries.some((entry) => /^renderD\d+$/.test(entry)),
  };
}
