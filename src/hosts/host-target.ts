import { inertText } from './host-text.js';

/** One host to scrape: as the user named it, its display name, and the URL asked. */
export interface HostTarget {
  /** HOST:PORT (or the URL) as given */
  host: string;
  name: string;
  url: string;
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;

/**
 * `HOST:PORT` (a name, an IPv4 address or `[IPv6]`, and a port from 1 to 65535), or an http(s) URL
 * for an exporter elsewhere than /metrics or behind TLS. Returns the target, or why the text is not one.
 */
export function hostTarget(spec: string, name?: string): HostTarget | { problem: string } {
  const text = spec.trim();
  if (text === '') return { problem: 'it is empty' };
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { problem: 'it is not a well-formed URL' };
    }
    if (url.username || url.password) return { problem: 'a URL with a password would show it in every record' };
    if (url.pathname === '/') url.pathname = '/metrics';
    return { host: text, name: inertText(name ?? text), url: url.href };
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return { problem: 'it has no :PORT' };
  const hostPart = text.slice(0, colon);
  const portPart = text.slice(colon + 1);
  if (!HOSTNAME.test(hostPart) && !IPV6.test(hostPart))
    return { problem: `"${inertText(hostPart, 60)}" is not a host name or address` };
  const port = Number(portPart);
  if (!/^\d{1,5}$/.test(portPart) || port < 1 || port > 65535) {
    return { problem: `"${inertText(portPart, 20)}" is not a port from 1 to 65535` };
  }
  return { host: text, name: inertText(name ?? text), url: `http://${hostPart}:${port}/metrics` };
}

/**
 * A hosts file: one `HOST:PORT [display name]` a line; `#` starts a comment, blank lines are skipped.
 * Returns the targets, or the first line that is not one and why.
 */
export function hostsFromFileText(text: string): HostTarget[] | { line: number; problem: string } {
  const targets: HostTarget[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [spec = '', ...rest] = line.split(/\s+/);
    const target = hostTarget(spec, rest.length > 0 ? rest.join(' ') : undefined);
    if ('problem' in target) return { line: index + 1, problem: target.problem };
    targets.push(target);
  }
  return targets;
}

/** The same host named twice is scraped once (the first name wins). */
export function distinctTargets(targets: readonly HostTarget[]): HostTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => !seen.has(target.url) && seen.add(target.url));
}
