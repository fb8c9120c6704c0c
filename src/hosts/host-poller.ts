import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { hostSampleFrom } from '../model/host-rates.js';
import type { HostReading, HostSample } from '../model/host-sample.js';
import type { HostSource, PollContext } from './host-source.js';
import { inertText } from './host-text.js';

/** One refresh: every host of every source, in the order the sources were given. */
export interface HostRound {
  /** When the round started, ms since the epoch. */
  at: number;
  hosts: HostSample[];
}

export type HostRoundListener = (round: HostRound) => void;

export interface HostPollerOptions {
  intervalMs: number;
  /** Each request's limit; by default shorter than the interval (see hostTimeoutMs). */
  timeoutMs?: number;
}

/** A source must not reject; if one does all the same, it is one reading that says so, and the round goes on. */
function failedReading(source: HostSource, at: number, error: unknown): HostReading {
  const why = error instanceof Error ? `: ${error.message}` : '';
  return {
    host: source.label,
    name: source.label,
    source: source.kind,
    at,
    up: false,
    error: `reading ${source.label} failed unexpectedly${why}.`,
    scrapeMs: null,
    counters: null,
    figures: null,
  };
}

/** A request's limit: four fifths of the interval, so a round ends before the next is due; at most 10 s. */
export function hostTimeoutMs(intervalMs: number): number {
  return Math.max(50, Math.min(10_000, Math.floor(intervalMs * 0.8)));
}

/**
 * Polls every source at once, each request bounded by a timeout shorter than the interval, so a
 * down or slow host is a reading that says so and never holds up the others. Rates come from each
 * host's previous reading with counters; a host that comes back is read again like any other.
 */
export class HostPoller {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private readonly agents: PollContext['agents'];
  private readonly previous = new Map<string, HostReading>();
  private readonly listeners = new Set<HostRoundListener>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<HostRound> | null = null;

  constructor(
    private readonly sources: readonly HostSource[],
    options: HostPollerOptions,
  ) {
    this.intervalMs = options.intervalMs;
    this.timeoutMs = options.timeoutMs ?? hostTimeoutMs(options.intervalMs);
    // A few kept-alive connections per host, so a refresh reuses them instead of connecting again.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 4 }),
      https: new https.Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 4 }),
    };
  }

  /** One round now. Resolves within about the timeout, whatever the hosts do. */
  async poll(): Promise<HostRound> {
    const at = Date.now();
    // A timer of its own, not AbortSignal.timeout: that one is unref'd, and a round must hold the process.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), this.timeoutMs);
    const signal = AbortSignal.any([this.stopping.signal, timeout.signal]);
    // Every request of the round listens to this one signal: hundreds of hosts are not a leak.
    setMaxListeners(0, signal);
    const context: PollContext = { signal, timeoutMs: this.timeoutMs, agents: this.agents };
    let bySource: HostReading[][];
    try {
      bySource = await Promise.all(
        this.sources.map((source) =>
          source.read(context).catch((error: unknown) => [failedReading(source, at, error)]),
        ),
      );
    } finally {
      clearTimeout(timer);
    }
    const hosts: HostSample[] = [];
    for (const [index, readings] of bySource.entries()) {
      for (const reading of readings) {
        const key = `${index}\u0000${reading.host}`;
        const sample = hostSampleFrom(this.previous.get(key) ?? null, reading);
        hosts.push({ ...sample, error: sample.error === null ? null : inertText(sample.error, 400) });
        if (reading.counters) this.previous.set(key, reading);
      }
    }
    return { at, hosts };
  }

  /** Listen to every round `start` makes; returns the function that stops listening. */
  subscribe(listener: HostRoundListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A round now, then one every interval (from each round's start) until stop. */
  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    let next = performance.now();
    const tick = (): void => {
      this.inFlight = this.poll();
      void this.inFlight.then((round) => {
        this.inFlight = null;
        if (this.stopping.signal.aborted) return;
        for (const listener of this.listeners) listener(round);
        next += this.intervalMs;
        this.timer = setTimeout(tick, Math.max(0, next - performance.now()));
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Ends the timer and every request in flight, and closes the kept-alive connections. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('stopped'));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
