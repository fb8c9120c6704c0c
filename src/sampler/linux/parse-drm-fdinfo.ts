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
  /**
   * Intel xe's counters instead of ns: per engine, cycles this client's work ran (drm-cycles-<name>)
   * and the engine's own cycle count (drm-total-cycles-<name>); only engines that print both.
   */
  engineCycles: Map<string, EngineCycles>;
  /** How many identical engines each name stands for (drm-engine-capacity-<name>); absent means one. */
  capacity: Map<string, number>;
  /** Memory it holds, bytes: per region drm-resident-<region>, else the older drm-memory-<region>. */
  memoryBytes: number | null;
}

export interface EngineCycles {
  busy: number;
  total: number;
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
  const busyCycles = new Map<string, number>();
  const totalCycles = new Map<string, number>();
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
    } else if (key.startsWith('cycles-') || key.startsWith('total-cycles-')) {
      if (!/^\d+$/.test(value)) continue;
      if (key.startsWith('cycles-')) busyCycles.set(key.slice('cycles-'.length), Number(value));
      else totalCycles.set(key.slice('total-cycles-'.length), Number(value));
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
  const engineCycles = new Map<string, EngineCycles>();
  for (const [engine, busy] of busyCycles) {
    const total = totalCycles.get(engine);
    if (total !== undefined) engineCycles.set(engine, { busy, total });
  }
  return { driver, pdev, clientId, engineNs, engineCycles, capacity, memoryBytes };
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

/** Memory over every client; null when none says. */
export function totalMemoryBytes(clients: readonly DrmClient[]): number | null {
  const known = clients.flatMap((client) => (client.memoryBytes === null ? [] : [client.memoryBytes]));
  return known.length > 0 ? known.reduce((sum, bytes) => sum + bytes, 0) : null;
}

/** One DRM client's engine counters at a reading, for its process's GPU% and its card's busy share. */
export interface ClientEngines {
  pdev: string;
  engineNs: ReadonlyMap<string, number>;
  engineCycles: ReadonlyMap<string, EngineCycles>;
  capacity: ReadonlyMap<string, number>;
}

/**
 * Each engine's busy share between two readings of one client, 1 being one engine busy all the
 * time: ns over the wall time, xe's cycles over the engine's own cycles. Counters may step back
 * briefly (the spec allows it); that reads as no progress, never as negative. An engine new since
 * the first reading counts from the second.
 */
export function engineShares(before: ClientEngines, now: ClientEngines, elapsedMs: number): Map<string, number> {
  const shares = new Map<string, number>();
  if (elapsedMs > 0)
    for (const [engine, ns] of now.engineNs)
      shares.set(engine, Math.max(0, ns - (before.engineNs.get(engine) ?? ns)) / (elapsedMs * 1e6));
  for (const [engine, cycles] of now.engineCycles) {
    const earlier = before.engineCycles.get(engine);
    const elapsedCycles = earlier ? cycles.total - earlier.total : 0;
    if (!earlier || elapsedCycles <= 0) continue;
    // xe counts every engine of a class against one clock: up to the class's capacity.
    const capacity = now.capacity.get(engine) ?? 1;
    shares.set(engine, Math.min(capacity, Math.max(0, cycles.busy - earlier.busy) / elapsedCycles));
  }
  return shares;
}

/** A process's GPU%, htop's way: every engine's share summed, 100 being one engine busy all the time. */
export function processGpuPercent(
  before: ReadonlyMap<string, ClientEngines>,
  clients: ReadonlyMap<string, ClientEngines>,
  elapsedMs: number,
): number | null {
  let share = 0;
  let compared = false;
  for (const [key, client] of clients) {
    const earlier = before.get(key);
    if (!earlier) continue;
    compared = true;
    for (const value of engineShares(earlier, client, elapsedMs).values()) share += value;
  }
  return compared ? share * 100 : null;
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
  const busyShares = new Map<string, Map<string, number>>();
  const capacities = new Map<string, Map<string, number>>();
  const compared = new Set<string>();
  for (const [key, client] of now) {
    const engines = busyShares.get(client.pdev) ?? new Map<string, number>();
    busyShares.set(client.pdev, engines);
    capacities.set(client.pdev, new Map([...(capacities.get(client.pdev) ?? []), ...client.capacity]));
    const earlier = before.get(key);
    if (!earlier) continue;
    compared.add(client.pdev);
    for (const [engine, share] of engineShares(earlier, client, elapsedMs))
      engines.set(engine, (engines.get(engine) ?? 0) + share);
  }
  const busy = new Map<string, number | null>();
  for (const [pdev, engines] of busyShares) {
    if (!compared.has(pdev) || elapsedMs <= 0) {
      busy.set(pdev, null);
      continue;
    }
    const capacity = capacities.get(pdev) ?? new Map<string, number>();
    let busiest = 0;
    for (const [engine, share] of engines) busiest = Math.max(busiest, share / (capacity.get(engine) ?? 1));
    busy.set(pdev, Math.min(100, busiest * 100));
  }
  return busy;
}
