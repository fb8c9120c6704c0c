import type { OutputLine } from '../model/output-log.js';

type Stream = OutputLine['stream'];

/** Intake is metered over windows this long. */
const INTAKE_WINDOW_MS = 100;
/** At the end, the last output is read until the pipes are quiet this long, at most DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 50;
const DRAIN_MAX_MS = 1000;

export interface OutputPumpOptions {
  /**
   * Read at most this much output per second (characters); a program printing faster waits on its
   * writes, as it would on a slow terminal. None: as fast as it comes.
   */
  perSecond?: number;
  onText(stream: Stream, text: string): void;
}

/**
 * A child's stdout and stderr, read as text at a metered pace, then at full speed once it has ended
 * (drain), and let go of (release) so a process that escaped with the pipes keeps nobody waiting.
 */
export class OutputPump {
  private readonly pipes: NodeJS.ReadableStream[];
  private intake = { windowStart: 0, taken: 0, paused: false };
  private draining = false;
  private lastOutputAt = 0;

  constructor(
    streams: readonly (readonly [Stream, NodeJS.ReadableStream])[],
    private readonly options: OutputPumpOptions,
  ) {
    this.pipes = streams.map(([, pipe]) => pipe);
    for (const [stream, pipe] of streams) {
      pipe.setEncoding('utf8');
      pipe.on('data', (text: string) => {
        this.lastOutputAt = performance.now();
        options.onText(stream, text);
        this.meter(text.length);
      });
    }
  }

  /** Read what is left at full speed, until the pipes are quiet (or a second passes). */
  async drain(): Promise<void> {
    this.intake.paused = false;
    this.draining = true;
    for (const pipe of this.pipes) pipe.resume();
    const deadline = performance.now() + DRAIN_MAX_MS;
    while (performance.now() < deadline && performance.now() - this.lastOutputAt < DRAIN_QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_QUIET_MS / 2));
    }
  }

  /** Stop reading a little later: whoever still holds the pipes must not keep anyone waiting. */
  release(): void {
    setTimeout(() => {
      for (const pipe of this.pipes) (pipe as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }, DRAIN_MAX_MS).unref();
  }

  /** Past the budget of this window: stop reading until the next one. */
  private meter(size: number): void {
    const limit = this.options.perSecond;
    if (!limit || this.intake.paused || this.draining) return;
    const now = performance.now();
    if (now - this.intake.windowStart >= INTAKE_WINDOW_MS) this.intake = { windowStart: now, taken: 0, paused: false };
    this.intake.taken += size;
    if (this.intake.taken < (limit * INTAKE_WINDOW_MS) / 1000) return;
    this.intake.paused = true;
    for (const pipe of this.pipes) pipe.pause();
    setTimeout(
      () => {
        if (this.draining) return;
        this.intake = { windowStart: performance.now(), taken: 0, paused: false };
        for (const pipe of this.pipes) pipe.resume();
      },
      Math.max(0, this.intake.windowStart + INTAKE_WINDOW_MS - now),
    );
  }
}
