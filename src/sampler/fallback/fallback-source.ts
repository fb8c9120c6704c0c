import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import { type RunCommand, runCommand } from './run-command.js';

/** One core's cumulative times as Node gives them (ms): what os.cpus() has on every platform. */
export interface NodeCoreTimes {
  user: number;
  nice: number;
  sys: number;
  idle: number;
  irq: number;
}

/**
 * Everything the fallback sampler asks of the machine: Node's own figures (no process started), and
 * the commands it runs. The real one is Node and the programs; tests give captured answers.
 */
export interface FallbackSource {
  platform: NodeJS.Platform;
  coreTimes(): NodeCoreTimes[];
  totalMemory(): number;
  /** What libuv calls free: MemAvailable on Linux, free pages on macOS. */
  freeMemory(): number;
  loadAverage(): [number, number, number];
  uptimeSeconds(): number;
  /** Wall clock, ms since the epoch; and a clock for intervals, ms. */
  now(): number;
  monotonic(): number;
  run: RunCommand;
}

export const nodeSource: FallbackSource = {
  platform: process.platform,
  coreTimes: () => cpus().map((core) => core.times),
  totalMemory: () => totalmem(),
  freeMemory: () => freemem(),
  loadAverage: () => {
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    return [one, five, fifteen];
  },
  uptimeSeconds: () => uptime(),
  now: () => Date.now(),
  monotonic: () => performance.now(),
  run: runCommand,
};
