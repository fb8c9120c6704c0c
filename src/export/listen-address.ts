import { isIP } from 'node:net';
import { ExportConfigError } from './export-error.js';

/** Where an exporter listens: loopback unless told otherwise, as Prometheus exporters do. */
export interface ListenAddress {
  /** An IP address or a host name; '' for every interface (Go's ":9464"). */
  host: string;
  /** 1 to 65535, or 0 for any free port (the one chosen is printed). */
  port: number;
}

/** 9464 is paratop's entry on Prometheus's list of default exporter ports. */
export const DEFAULT_LISTEN = '127.0.0.1:9464';

const ACCEPTED =
  'It must be ADDRESS:PORT, such as 127.0.0.1:9464, [::1]:9464 or localhost:9464, with a port from 0 to 65535';
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** "127.0.0.1:9464", "[::1]:9464", "localhost:9464", ":9464" (every interface, said out loud). */
export function parseListenAddress(text: string): ListenAddress {
  const value = text.trim();
  const colon = value.lastIndexOf(':');
  if (colon < 0) throw new ExportConfigError(`${ACCEPTED} (no port given).`);
  let host = value.slice(0, colon);
  const portText = value.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
    if (isIP(host) !== 6) throw new ExportConfigError(`${ACCEPTED} ("${host}" in brackets is not an IPv6 address).`);
  } else if (host.includes(':')) {
    throw new ExportConfigError(`${ACCEPTED} (an IPv6 address goes in brackets: [${host}]:${portText}).`);
  } else if (host !== '' && isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw new ExportConfigError(`${ACCEPTED} ("${host}" is neither an IP address nor a host name).`);
  }
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) {
    throw new ExportConfigError(`${ACCEPTED} ("${portText}" is not a port).`);
  }
  return { host, port };
}

/** Every interface: anyone who can reach the machine can read it, so it is never the default. */
export function isWildcard(address: ListenAddress): boolean {
  return address.host === '' || address.host === '0.0.0.0' || address.host === '::';
}

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The warning a wildcard address earns on stderr; null for a narrower one. */
export function wildcardWarning(address: ListenAddress, secured: boolean): string | null {
  if (!isWildcard(address)) return null;
  return (
    `listening on every interface (${formatListenAddress(address)}): any machine that can reach this one can read ` +
    `its processes and users${secured ? '' : ' (no --web-config: no TLS, no password)'}.`
  );
}
