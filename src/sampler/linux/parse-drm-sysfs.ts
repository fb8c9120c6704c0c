import type { GpuSample } from '../../model/types.js';

/** What sysfs tells of a DRM card (/sys/class/drm/cardN/device/...), as plain text in. Pure. */

const VENDORS: Record<string, GpuSample['vendor']> = { '0x1002': 'amd', '0x8086': 'intel', '0x10de': 'nvidia' };
const VENDOR_NAMES: Record<GpuSample['vendor'], string> = { amd: 'AMD', intel: 'Intel', nvidia: 'NVIDIA', other: '' };

/** A sysfs number ("23\n"), or null for a missing or unreadable file. */
export function sysfsNumber(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n..." as a map. */
export function parseUevent(text: string | null): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) fields.set(line.slice(0, equals), line.slice(equals + 1).trim());
  }
  return fields;
}

export type CardInfo = Pick<GpuSample, 'index' | 'id' | 'name' | 'vendor' | 'source' | 'pciBusId' | 'lost'>;

/**
 * A card's identity from its device folder: vendor and device IDs, the driver and PCI address
 * (uevent), and the marketing name where the driver gives one (amdgpu's product_name). Null for a
 * card with no device folder (a virtual one).
 */
export function drmCardInfo(card: string, read: (name: string) => string | null): CardInfo | null {
  const vendorId = read('vendor')?.trim().toLowerCase() ?? null;
  if (vendorId === null) return null;
  const vendor = VENDORS[vendorId] ?? 'other';
  const uevent = parseUevent(read('uevent'));
  const deviceId = read('device')?.trim().toLowerCase() ?? '';
  const driver = uevent.get('DRIVER') ?? 'unknown driver';
  const product = read('product_name')?.trim();
  const name = product || `${VENDOR_NAMES[vendor] || vendorId} GPU ${deviceId} (${driver})`.trim();
  const pciBusId = uevent.get('PCI_SLOT_NAME') ?? null;
  return {
    index: Number(card.replace(/^card/, '')),
    id: pciBusId ?? card,
    name,
    vendor,
    source: 'drm',
    pciBusId,
    lost: false,
  };
}
