import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../lab/core-calculator.js';
import { ExportConfigError } from '../export/export-error.js';
import { type ListenAddress, parseListenAddress } from '../export/listen-address.js';
import { type WebConfig, loadWebConfig } from '../export/web-config.js';
import { COLUMN_KEYS, type ColumnKey, isColumnKey } from '../model/columns.js';

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

/** ADDRESS:PORT for an exporter. */
export function parseListen(value: string): ListenAddress {
  return asArgumentError(() => parseListenAddress(value));
}

/** An exporter-toolkit web-config file, read and checked (certificate and key included) before anything starts. */
export function parseWebConfigFile(value: string): WebConfig {
  return asArgumentError(() => loadWebConfig(value));
}
