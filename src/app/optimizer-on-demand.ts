import { setFlagsFromString } from 'node:v8';

/**
 * paratop starts without V8's optimizing compiler (TurboFan) and switches it on only once its own
 * CPU use shows the compiled code would pay for itself.
 *
 * Why: on a machine with ~70 processes paratop spends ~0.5% of a core, nearly all of it drawing the
 * screen, and TurboFan gains nothing there. It costs memory, though: the compiler's own machine
 * code (paged in from the node binary the first time it runs) and its work memory added 6-7 MB of
 * RSS (measured in a pty at 120x40: 59 MB with it, 52 MB without, CPU 0.60% against 0.57%). On a
 * machine with many processes the scan's loops are hot and the compiler earns its keep (at ~470
 * processes 1.1% of a core with it, 1.3% without), so it comes on by itself.
 */

export interface OptimizerOptions {
  /** Own CPU use, % of one core over the window, above which the optimizer is switched on. */
  thresholdPercent: number;
  windowMs: number;
  /** Start-up (loading modules, the first frames) is a one-off cost: not judged. */
  warmUpMs: number;
  checkEveryMs: number;
}

export const DEFAULT_OPTIMIZER_OPTIONS: OptimizerOptions = {
  thresholdPercent: 1,
  windowMs: 10_000,
  warmUpMs: 10_000,
  checkEveryMs: 2_000,
};

/** CPU use over a trailing window of readings of a CPU-time counter; pure. */
export class TrailingCpuWindow {
  private readonly readings: { atMs: number; cpuMs: number }[] = [];

  constructor(private readonly windowMs: number) {}

  /** Add a reading; returns % of one core over the last `windowMs`, or null until that much time is covered. */
  add(atMs: number, cpuMs: number): number | null {
    this.readings.push({ atMs, cpuMs });
    // Drop readings while the next one still starts a full window.
    while (this.readings.length > 2 && atMs - (this.readings[1]?.atMs ?? atMs) >= this.windowMs) this.readings.shift();
    const first = this.readings[0];
    if (!first || atMs - first.atMs < this.windowMs) return null;
    return ((cpuMs - first.cpuMs) / (atMs - first.atMs)) * 100;
  }
}

let optimizerOn = true;

/** Whether V8's optimizing compiler is on now (for the diagnostics log). */
export function optimizerIsOn(): boolean {
  return optimizerOn;
}

/**
 * Switch the optimizing compiler off now, and on again for good once this process's CPU use over
 * the window passes the threshold. The check runs on an unref'd timer: it never keeps paratop alive.
 */
export function holdOptimizerUntilBusy(options: OptimizerOptions = DEFAULT_OPTIMIZER_OPTIONS): void {
  setFlagsFromString('--no-opt');
  optimizerOn = false;
  const window = new TrailingCpuWindow(options.windowMs);
  const ownCpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  // Readings start when the warm-up ends; then every few seconds until the optimizer is on.
  const warmUp = setTimeout(() => {
    window.add(performance.now(), ownCpuMs());
    const check = setInterval(() => {
      const percent = window.add(performance.now(), ownCpuMs());
      if (percent === null || percent <= options.thresholdPercent) return;
      setFlagsFromString('--opt');
      optimizerOn = true;
      clearInterval(check);
    }, options.checkEveryMs);
    check.unref();
  }, options.warmUpMs);
  warmUp.unref();
}
