import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * paratop starts with V8 in a lean mode and returns V8 to its defaults, for good, once its own CPU
 * use shows it is busy enough for them to pay. Lean mode is three settings, all read by V8 as it runs,
 * and full collections of its own (docs/performance.md gives what each was measured to save):
 *
 * - No optimizing compiler (TurboFan, and Maglev where it is on by default). On a machine of a few
 *   dozen processes paratop's work is mostly drawing, which the compiler does not speed up, while its
 *   machine code and work memory cost RSS. With many processes the scan's loops are hot and the
 *   compiler earns its keep: that is when lean mode ends.
 * - The young generation does not grow. Start-up allocates fast, V8 grows the young generation to
 *   match, and shrinks it back only seconds later; busy, the bigger one means fewer collections.
 * - No incremental marking. With it, V8's memory reducer runs full collections in small steps soon
 *   after start-up, costing more CPU than seconds of drawing. Without it, nothing starts a full
 *   collection before the old generation reaches the limit V8 set at start-up, far above this heap,
 *   and promoted garbage piles up. So lean mode runs one itself, at its periodic check, once the heap
 *   in use has grown by heapGrowthBytes since the last one, and once soon after start, for
 *   start-up's garbage.
 */

/** Flags that choose V8's compilers or how it collects garbage: a user who sets any of them keeps their own. */
const TIERING_FLAG = new RegExp(
  '^--(no-)?(opt|turbofan|maglev|max-opt|jitless|semi-space-growth-factor|min-semi-space-size|' +
    'max-semi-space-size|incremental-marking|memory-reducer)\\b',
);

/**
 * V8 turned its mid-tier optimizing compiler, Maglev, on by default in 11.7 (Node 22 ships 12.x);
 * Node 20's 11.3 has it off. Lean mode turns off whichever optimizing compilers are on by default,
 * and turns back on only those.
 */
export function maglevOnByDefault(v8Version: string): boolean {
  const [major = 0, minor = 0] = v8Version.split('.').map(Number);
  return major > 11 || (major === 11 && minor >= 7);
}

/** The V8 flags for lean mode, and those that put V8's defaults back. */
export function leanModeFlags(v8Version: string): { lean: string[]; defaults: string[] } {
  const maglev = maglevOnByDefault(v8Version);
  return {
    lean: [
      '--no-turbofan',
      ...(maglev ? ['--no-maglev'] : []),
      '--semi-space-growth-factor=1',
      '--no-incremental-marking',
    ],
    defaults: ['--turbofan', ...(maglev ? ['--maglev'] : []), '--semi-space-growth-factor=2', '--incremental-marking'],
  };
}

/** Whether the user chose V8 tiering or young-generation flags themselves (node's arguments or NODE_OPTIONS). */
export function userChoseV8Flags(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => TIERING_FLAG.test(arg.replaceAll('_', '-')));
}

export interface LeanModeOptions {
  /** Own CPU use, % of one core over the window, above which V8 returns to its defaults. */
  thresholdPercent: number;
  windowMs: number;
  /** Start-up (loading modules, the first frames) is a one-off cost: not judged. */
  warmUpMs: number;
  checkEveryMs: number;
  /** Growth of the heap in use since the last full collection at which lean mode runs one itself. */
  heapGrowthBytes: number;
  /** One full collection this long after start, for start-up's garbage (module loading, the first scans). */
  startUpCollectionMs: number;
}

/**
 * A quiet machine's paratop reads well under the threshold, but one 10 s window can read far more
 * than its average, and the first seconds (start-up, the first full scans) more still: so judging
 * starts late and the threshold sits well clear of the quiet figure. Where these were measured:
 * docs/performance.md.
 */
export const DEFAULT_LEAN_MODE_OPTIONS: LeanModeOptions = {
  thresholdPercent: 2,
  windowMs: 10_000,
  warmUpMs: 20_000,
  // Every timer is a wake-up, which costs CPU: judging once per window is enough.
  checkEveryMs: 10_000,
  heapGrowthBytes: 2 * 1024 * 1024,
  // Start-up is over: modules loaded, the first frames drawn, the second scan (the first with CPU %) done.
  startUpCollectionMs: 3_000,
};

/**
 * When lean mode should collect the old generation itself: once the heap in use has grown by the allowance since its
 * low point; pure.
 */
export class HeapGrowthLimit {
  private floorBytes: number | null = null;

  constructor(private readonly growthBytes: number) {}

  /** Add a reading of the heap in use; true when it has grown by the allowance (then call `collected`). */
  exceeded(usedBytes: number): boolean {
    // V8's own full collections, and the first reading, lower the floor.
    this.floorBytes = Math.min(this.floorBytes ?? usedBytes, usedBytes);
    return usedBytes - this.floorBytes >= this.growthBytes;
  }

  collected(usedBytes: number): void {
    this.floorBytes = usedBytes;
  }
}

/** A full collection, as --expose-gc's gc(); exposed at run time, gc() reaches only contexts made after. */
function fullCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return collect;
}

/** CPU use over a trailing window of readings of a CPU-time counter; pure. */
export class TrailingCpuWindow {
  private readonly readings: { atMs: number; cpuMs: number }[] = [];

  constructor(private readonly windowMs: number) {}

  /** Add a reading; returns % of one core over the last `windowMs`, or null until that much time is covered. */
  add(atMs: number, cpuMs: number): number | null {
    this.readings.push({ atMs, cpuMs });
    // Drop readings while the next one still starts a full window.
    while (this.readings.length > 1 && atMs - (this.readings[1]?.atMs ?? atMs) >= this.windowMs) this.readings.shift();
    const first = this.readings[0];
    if (!first || atMs - first.atMs < this.windowMs) return null;
    return ((cpuMs - first.cpuMs) / (atMs - first.atMs)) * 100;
  }
}

let lean = false;

/** Whether V8 is still in lean mode (for the diagnostics log). */
export function v8IsLean(): boolean {
  return lean;
}

function setFlags(flags: readonly string[]): void {
  for (const flag of flags) setFlagsFromString(flag);
}

/**
 * Put V8 in lean mode now, and back to its defaults for good once this process's CPU use over the
 * window passes the threshold. The check runs on unref'd timers: it never keeps paratop alive.
 * Someone who runs paratop with their own tiering flags (say `node --no-opt bin/paratop`) keeps them.
 */
export function leanUntilBusy(options: LeanModeOptions = DEFAULT_LEAN_MODE_OPTIONS): void {
  if (userChoseV8Flags(process.execArgv, process.env.NODE_OPTIONS)) return;
  const flags = leanModeFlags(process.versions.v8);
  setFlags(flags.lean);
  lean = true;
  const window = new TrailingCpuWindow(options.windowMs);
  const heapLimit = new HeapGrowthLimit(options.heapGrowthBytes);
  let collect: (() => void) | null = null;
  const ownCpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const collectNow = (): void => {
    collect ??= fullCollector();
    collect();
    heapLimit.collected(getHeapStatistics().used_heap_size);
  };
  const startUpCollection = setTimeout(() => {
    if (lean) collectNow();
  }, options.startUpCollectionMs);
  startUpCollection.unref();
  // Readings start when the warm-up ends; then every few seconds until V8 is back to its defaults.
  const warmUp = setTimeout(() => {
    window.add(performance.now(), ownCpuMs());
    const check = setInterval(() => {
      const percent = window.add(performance.now(), ownCpuMs());
      if (percent === null || percent <= options.thresholdPercent) {
        if (heapLimit.exceeded(getHeapStatistics().used_heap_size)) collectNow();
        return;
      }
      setFlags(flags.defaults);
      lean = false;
      clearInterval(check);
    }, options.checkEveryMs);
    check.unref();
  }, options.warmUpMs);
  warmUp.unref();
}
