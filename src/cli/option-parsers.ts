import { type Stats, statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../lab/core-calculator.js';
import { ExportConfigError } from '../export/export-error.js';
import { type ListenAddress, parseListenAddress } from '../export/listen-address.js';
import { type WebConfig, loadWebConfig } from '../export/web-config.js';
import { COLUMN_KEYS, type ColumnKey, isColumnKey } from '../model/columns.js';
import { type HostTarget, distinctTargets, hostTarget, hostsFromFileText } from '../hosts/host-target.js';
import { parseSelector } from '../hosts/prometheus-queries.js';

/** Parsers for option values. Each error says what was given and what is accepted. */

export const MIN_INTERVAL_SECONDS = 0.1;
export const MAX_INTERVAL_SECONDS = 3600;

export function parseSeconds(value: string, min = MIN_INTERVAL_SECONDS, max = MAX_INTERVAL_SECONDS): number {
  const seconds = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw new InvalidArgumentError(`It must be a number of seconds from ${min} to ${max}.`);
  }
  return seconds;
}

export function parseIntervalSeconds(value: string): number {
  return parseSeconds(value);
}

export function parsePositiveInteger(value: string, max = Number.MAX_SAFE_INTEGER): number {
  const count = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || count < 1 || count > max) {
    throw new InvalidArgumentError(`It must be a whole number from 1 to ${max}.`);
  }
  return count;
}

export function parseColumn(value: string): ColumnKey {
  const key = value.trim().toLowerCase();
  if (!isColumnKey(key)) {
    throw new InvalidArgumentError(`It must be one of ${COLUMN_KEYS.join(', ')}.`);
  }
  return key;
}

export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const choice = choices.find((candidate) => candidate === value.trim().toLowerCase());
    if (!choice) throw new InvalidArgumentError(`It must be one of ${choices.join(', ')}.`);
    return choice;
  };
}

/** Any whole number; the caller checks the range, so the message can say why it is what it is. */
export function parseWholeNumber(value: string): number {
  const number = Number(value.trim());
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new InvalidArgumentError('It must be a whole number.');
  }
  return number;
}

/** "5x5x5" -> [5, 5, 5]: up to 6 dimensions of 1 to 50 values, 100,000 points at most. */
export function parseGrid(value: string): number[] {
  const sizes = value
    .trim()
    .toLowerCase()
    .split('x')
    .map((part) => Number(part));
  const points = sizes.reduce((product, size) => product * size, 1);
  if (
    sizes.length < 1 ||
    sizes.length > 6 ||
    sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 50) ||
    points > 100_000
  ) {
    throw new InvalidArgumentError('It must look like 5x5x5: up to 6 sizes from 1 to 50, at most 100,000 points.');
  }
  return sizes;
}

/** A positive number (of seconds, or money) from the user. */
export function parsePositiveNumber(value: string): number {
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError('It must be a number greater than 0.');
  return number;
}

/** "20m", "1h30m", "90s" or plain seconds. */
export function parseDeadline(value: string): number {
  const seconds = parseDuration(value);
  if (seconds === null || seconds <= 0)
    throw new InvalidArgumentError('It must be a duration such as 20m, 1h30m, 90s or a number of seconds.');
  return seconds;
}

/** Turns an exporter setting's error into commander's, which quotes the value and names the option. */
function asArgumentError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ExportConfigError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** --config: a settings file that is there (a typo here would otherwise go unnoticed). */
export function parseConfigPath(value: string): string {
  let file: Stats;
  try {
    file = statSync(value);
  } catch {
    throw new InvalidArgumentError('There is no such file. It must be a TOML settings file (see --no-config).');
  }
  if (!file.isFile()) throw new InvalidArgumentError('It is not a file. It must be a TOML settings file.');
  return value;
}

/** ADDRESS:PORT for an exporter. */
export function parseListen(value: string): ListenAddress {
  return asArgumentError(() => parseListenAddress(value));
}

/** An exporter-toolkit web-config file, read and checked (certificate and key included) before anything starts. */
export function parseWebConfigFile(value: string): WebConfig {
  return asArgumentError(() => loadWebConfig(value));
}

const HOSTS_ACCEPTED = 'It must be HOST:PORT[,HOST:PORT...] (e.g. node1:9100,10.0.0.7:9100) or http(s) URLs';

/** --hosts, which may be given more than once: each adds its hosts to the ones before. */
export function parseHostList(value: string, previous: readonly HostTarget[] = []): HostTarget[] {
  const specs = value.split(',');
  const targets: HostTarget[] = [];
  for (const spec of specs) {
    const target = hostTarget(spec);
    if ('problem' in target) {
      const which = specs.length > 1 ? ` "${spec.trim()}"` : '';
      throw new InvalidArgumentError(`${HOSTS_ACCEPTED}; ${which ? `${which.trim()}: ` : ''}${target.problem}.`);
    }
    targets.push(target);
  }
  return distinctTargets([...previous, ...targets]);
}

/** The text of a --hosts-file: one HOST:PORT [name] a line, # comments, blank lines. */
export function parseHostsFileText(text: string): HostTarget[] {
  const targets = hostsFromFileText(text);
  if ('problem' in targets) {
    throw new InvalidArgumentError(
      `Line ${targets.line}: ${targets.problem}. Each line must be HOST:PORT and an optional display name; ` +
        '# starts a comment.',
    );
  }
  if (targets.length === 0) throw new InvalidArgumentError('It names no host: each line must be HOST:PORT [name].');
  return distinctTargets(targets);
}

/** A Prometheus server's base URL: http or https, no password (it would show in messages). */
export function parsePrometheusUrl(value: string): string {
  const accepted = 'It must be the http(s) URL of a Prometheus server, such as http://prometheus:9090.';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidArgumentError(accepted);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidArgumentError(accepted);
  }
  if (url.username || url.password) throw new InvalidArgumentError(`${accepted} A password in it would show.`);
  return url.href;
}

/** --prometheus-selector: label matchers in braces, such as {job="lab"}. */
export function parsePrometheusSelector(value: string): string {
  const selector = parseSelector(value);
  if (typeof selector !== 'string') {
    throw new InvalidArgumentError(
      'It must be label matchers in braces, such as {job="lab"} or {job="lab",instance=~"node.*"}; ' +
        `${selector.problem}.`,
    );
  }
  return selector;
}

/** --scheduler: a Dask scheduler's address, as Dask writes it: tcp://HOST:PORT (or tls://). */
export function parseSchedulerAddress(value: string): string {
  const text = value.trim();
  const match = /^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    throw new InvalidArgumentError(
      "It must be a Dask scheduler's address, tcp://HOST:PORT (or tls://HOST:PORT), e.g. tcp://10.0.0.5:8786.",
    );
  return text;
}
