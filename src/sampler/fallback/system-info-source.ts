import { loadavg, uptime } from 'node:os';
import pidusage from 'pidusage';
import si from 'systeminformation';

export interface CpuTimeReading {
  /** user + system CPU time, ms */
  ctime: number;
  /** when this reading was taken, ms since the epoch */
  timestamp: number;
}

/**
 * Everything the fallback sampler asks of the machine. The real one wraps systeminformation and
 * pidusage; tests give it captured answers.
 */
export interface SystemInfoSource {
  currentLoad(): Promise<si.Systeminformation.CurrentLoadData>;
  mem(): Promise<si.Systeminformation.MemData>;
  processes(): Promise<si.Systeminformation.ProcessesData>;
  /** CPU time so far of each PID that still exists. */
  cpuTimes(pids: number[]): Promise<Map<number, CpuTimeReading>>;
  loadAverage(): [number, number, number];
  uptimeSeconds(): number;
}

async function pidusageReadings(pids: number[]): Promise<Map<number, CpuTimeReading>> {
  const readings = new Map<number, CpuTimeReading>();
  if (pids.length === 0) return readings;
  try {
    const stats = await pidusage(pids);
    for (const stat of Object.values(stats)) if (stat) readings.set(stat.pid, stat);
  } catch {
    // pidusage rejects the whole batch when one PID has gone; ask one by one instead.
    const settled = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
    for (const result of settled) if (result.status === 'fulfilled') readings.set(result.value.pid, result.value);
  }
  return readings;
}

export const systemInfoSource: SystemInfoSource = {
  currentLoad: () => si.currentLoad(),
  mem: () => si.mem(),
  processes: () => si.processes(),
  cpuTimes: pidusageReadings,
  loadAverage: () => {
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    return [one, five, fifteen];
  },
  uptimeSeconds: () => uptime(),
};
