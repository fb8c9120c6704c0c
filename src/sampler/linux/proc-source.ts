import { perSecond } from '../../model/cpu-load.js';
import { parseUptime } from './parse-system-files.js';
import { ProcReader } from './proc-reader.js';

/** Readings this close together belong to the same tick. */
const UPTIME_REUSE_MS = 20;
/** A task younger than this has too little history for a meaningful lifetime average. */
const MIN_AGE_FOR_AVERAGE_SECONDS = 0.05;

export interface ProcSourceOptions {
  /** Where procfs is mounted; tests point this at captured fixture trees. */
  procRoot?: string;
  /** USER_HZ: 100 on every mainstream Linux architecture. */
  clockTicksPerSecond?: number;
  /** Wall clock for time stamps; tests fix it. */
  now?: () => number;
  /** Monotonic clock, ms, that decides which readings belong to one tick; tests step it. */
  monotonic?: () => number;
}

/**
 * What the Linux sampler's parts share: where /proc is, one reader (its buffer and the files kept
 * open), the clocks, and one reading of /proc/uptime per tick.
 */
export class ProcSource {
  readonly root: string;
  readonly hz: number;
  readonly now: () => number;
  readonly reader = new ProcReader();
  private readonly monotonic: () => number;
  private uptimeReading: { at: number; seconds: number } | null = null;

  constructor(options: ProcSourceOptions = {}) {
    this.root = options.procRoot ?? '/proc';
    this.hz = options.clockTicksPerSecond ?? 100;
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** Seconds since boot; one reading of /proc/uptime serves everything sampled in the same tick. */
  uptime(): number {
    const now = this.monotonic();
    if (this.uptimeReading && now - this.uptimeReading.at < UPTIME_REUSE_MS) return this.uptimeReading.seconds;
    const seconds = parseUptime(this.reader.readKeepingOpen(`${this.root}/uptime`) ?? '');
    this.uptimeReading = { at: now, seconds };
    return seconds;
  }

  /**
   * The age of a task born since the previous scan, whose lifetime average stands in for a rate;
   * null for an older task seen for the first time (the first scan of all): no guess is made.
   */
  ageIfNew(startTicks: number, uptime: number, previousScan: number | null): number | null {
    const startedAt = startTicks / this.hz;
    if (previousScan === null || startedAt < previousScan) return null;
    const age = uptime - startedAt;
    return age >= MIN_AGE_FOR_AVERAGE_SECONDS ? age : null;
  }
}

/** A count spread over a lifetime, or null when there is no lifetime to spread it over. */
export function perSecondOfLife(count: number, ageSeconds: number | null): number | null {
  return ageSeconds === null ? null : perSecond(0, count, ageSeconds);
}
