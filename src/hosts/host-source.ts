import type http from 'node:http';
import type https from 'node:https';
import type { HostReading, HostSourceKind } from '../model/host-sample.js';

/** What a source is given for one poll. */
export interface PollContext {
  /** Aborts at the poll's timeout, or when the poller stops. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Shared keep-alive connections, so a refresh does not open a connection per host. */
  agents: { http: http.Agent; https: https.Agent };
}

/**
 * Where readings of other hosts come from: one exporter scraped (one host), or a Prometheus server
 * asked (one host per instance). `read` never rejects: a host that is down, slow or hostile is a
 * reading with `up: false` and a sentence in `error`.
 */
export interface HostSource {
  readonly kind: HostSourceKind;
  /** What it asks, for messages: HOST:PORT, or the Prometheus URL. */
  readonly label: string;
  read(context: PollContext): Promise<HostReading[]>;
}
