/**
 * The kernel's DRM client usage stats (Documentation/gpu/drm-usage-stats.rst), one client per open
 * DRM file in /proc/PID/fdinfo/FD: "drm-key:<whitespace>value [unit]". Pure.
 */

export interface DrmClient {
  driver: string | null;
  /** PCI address of the device ("0000:03:00.0"), where the driver gives it. */
  pdev: string | null;
  /** Unique per open DRM file (per device where drm-pdev is given): duplicated fds share it. */
  clientId: string;
  /** Busy time per engine (drm-engine-<name>), nanoseconds since the client opened. */
  engineNs: Map<string, number>;
  /** How many identical engines each name stands for (drm-engine-capacity-<name>); absent means one. */
  capacity: Map<string, number>;
  /** Memory it holds, bytes: per region drm-resident-<region>, else the older drm-memory-<region>. */
  memoryBytes: number | null;
}

const UNIT_BYTES: Record<string, number> = { '': 1, KiB: 1024, MiB: 1024 * 1024 };

function bytesOf(value: string): number | null {
  const match = /^(\d+)\s*(KiB|MiB)?$/.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * (UNIT_BYTES[match[2] ?? ''] ?? 1);
}

/** One fdinfo file; null when it is not a DRM client (no drm-client-id), as most fds are not. */
export function parseDrmFdinfo(text: string): DrmClient | null {
  let driver: string | null = null;
  let pdev: string | null = null;
  let clientId: string | null = null;
  const engineNs = new Map<string, number>();
  const capacity = new Map<string, number>();
  const resident = new Map<string, number>();
  const legacy = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('drm-')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(4, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'driver') driver = value;
    else if (key === 'pdev') pdev = value;
    else if (key === 'client-id') clientId = /^\d+$/.test(value) ? value : null;
    else if (key.startsWith('engine-capacity-')) {
      const count = Number(value);
      if (Number.isInteger(count) && count > 0) capacity.set(key.slice('engine-capacity-'.length), count);
    } else if (key.startsWith('engine-')) {
      const match = /^(\d+)\s*ns$/.exec(value);
      if (match) engineNs.set(key.slice('engine-'.length), Number(match[1]));
    } else if (key.startsWith('resident-') || key.startsWith('memory-')) {
      const bytes = bytesOf(value);
      if (bytes === null) continue;
      if (key.startsWith('resident-')) resident.set(key.slice('resident-'.length), bytes);
      else legacy.set(key.slice('memory-'.length), bytes);
    }
  }
  if (clientId === null) return null;
  // Drivers moving to drm-resident-* may print both names for a region for a while: count it once.
  const regions = new Map([...legacy, ...resident]);
  const memoryBytes = regions.size > 0 ? [...regions.values()].reduce((sum, bytes) => sum + bytes, 0) : null;
  return { driver, pdev, clientId, engineNs, capacity, memoryBytes };
}

/** A process's distinct clients: fds that share a client (dup, fork) are counted once, as htop does. */
export function distinctClients(clients: readonly (DrmClient | null)[]): DrmClient[] {
  const seen = new Map<string, DrmClient>();
  for (const client of clients) {
    if (!client) continue;
    const key = `${client.pdev ?? ''}/${client.clientId}`;
    if (!seen.has(key)) seen.set(key, client);
  }
  return [...seen.values()];
}

/** Busy nanoseconds over every engine of every client: htop's GPU time. */
export function totalEngineNs(clients: readonly DrmClient[]): number {
  let total = 0;
  for (const client of clients) for (const ns of client.engineNs.values()) total += ns;
  return total;
}

/** Memory over every client; null when none says. */
export function totalMemoryBytes(clients: readonly DrmClient[]): number | null {
  const known = clients.flatMap((client) => (client.memoryBytes === null ? [] : [client.memoryBytes]));
  return known.length > 0 ? known.reduce((sum, bytes) => sum + bytes, 0) : null;
}

/**
 * Busy % of engine time between two readings: 100 = one engine busy all the time. Counters may step
 * back briefly (the spec allows it); that reads as no progress, never as negative.
 */
export function enginePercent(beforeNs: number, afterNs: number, elapsedMs: number): number | null {
  if (elapsedMs <= 0) return null;
  return (Math.max(0, afterNs - beforeNs) / (elapsedMs * 1e6)) * 100;
}

/** One DRM client's engine counters at a reading, for its card's busy share. */
export interface ClientEngines {
  pdev: string;
  engineNs: ReadonlyMap<string, number>;
  capacity: ReadonlyMap<string, number>;
}

/**
 * Each card's busy share from the clients seen at both readings (keyed by PID, card and client id),
 * each client's own delta: a client that closed, or opened since, moves no card's figure. A card
 * with clients now but none before has no share yet (null).
 */
export function cardBusyFromClients(
  before: ReadonlyMap<string, ClientEngines>,
  now: ReadonlyMap<string, ClientEngines>,
  elapsedMs: number,
): Map<string, number | null> {
  const busyNs = new Map<string, Map<string, number>>();
  const capacities = new Map<string, Map<string, number>>();
  const compared = new Set<string>();
  for (const [key, client] of now) {
    const engines = busyNs.get(client.pdev) ?? new Map<string, number>();
    busyNs.set(client.pdev, engines);
    capacities.set(client.pdev, new Map([...(capacities.get(client.pdev) ?? []), ...client.capacity]));
    const earlier = before.get(key);
    if (!earlier) continue;
    compared.add(client.pdev);
    for (const [engine, ns] of client.engineNs)
      engines.set(engine, (engines.get(engine) ?? 0) + Math.max(0, ns - (earlier.engineNs.get(engine) ?? ns)));
  }
  const busy = new Map<string, number | null>();
  for (const [pdev, engines] of busyNs) {
    if (!compared.has(pdev) || elapsedMs <= 0) {
      busy.set(pdev, null);
      continue;
    }
    const capacity = capacities.get(pdev) ?? new Map<string, number>();
    let busiest = 0;
    for (const [engine, ns] of engines)
      busiest = Math.max(busiest, ns / (elapsedMs * 1e6) / (capacity.get(engine) ?? 1));
    busy.set(pdev, Math.min(100, busiest * 100));
  }
  return busy;
}
