import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { ExportConfigError } from './export-error.js';
import { isPlainObject } from '../model/is-plain-object.js';

/**
 * The exporter-toolkit web-config file that node_exporter takes (--web.config.file): TLS and basic
 * auth. paratop reads the part of it listed here and refuses the rest by name rather than ignore it.
 */
export interface WebConfigSpec {
  tls: { certFile: string; keyFile: string } | null;
  /** user name -> bcrypt hash */
  users: Map<string, string>;
}

/** A web-config with its certificate and key read: what the server starts with. */
export interface WebConfig extends WebConfigSpec {
  file: string;
  tlsFiles: { cert: Buffer; key: Buffer } | null;
}

const SECTIONS = ['tls_server_config', 'basic_auth_users'];
const TLS_KEYS = ['cert_file', 'key_file'];
/** bcrypt's modular-crypt form, as exporter-toolkit (Go's bcrypt) accepts it. */
const BCRYPT = /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/;

function refuseUnknown(record: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new ExportConfigError(
      `${where}${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not supported by paratop ` +
        `(it reads ${known.join(', ')}).`,
    );
  }
}

/** The file's text, relative paths resolved against `folder` (the file's own), as node_exporter does. */
export function parseWebConfig(text: string, folder: string): WebConfigSpec {
  let document: unknown;
  try {
    // Loaded when a web-config is given: the option is checked while the command line is parsed (sync).
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    document = parse(text);
  } catch (error) {
    throw new ExportConfigError(`it is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return { tls: null, users: new Map() };
  if (!isPlainObject(document))
    throw new ExportConfigError('it must be a YAML mapping of tls_server_config and basic_auth_users.');
  refuseUnknown(document, SECTIONS, '');
  return { tls: tlsSection(document.tls_server_config, folder), users: usersSection(document.basic_auth_users) };
}

function tlsSection(section: unknown, folder: string): WebConfigSpec['tls'] {
  if (section === undefined || section === null) return null;
  if (!isPlainObject(section))
    throw new ExportConfigError('tls_server_config must be a mapping with cert_file and key_file.');
  refuseUnknown(section, TLS_KEYS, 'tls_server_config.');
  const path = (key: string): string => {
    const value = section[key];
    if (typeof value !== 'string' || value === '') throw new ExportConfigError(`tls_server_config has no ${key}.`);
    return resolve(folder, value);
  };
  return { certFile: path('cert_file'), keyFile: path('key_file') };
}

function usersSection(section: unknown): Map<string, string> {
  const users = new Map<string, string>();
  if (section === undefined || section === null) return users;
  if (!isPlainObject(section))
    throw new ExportConfigError('basic_auth_users must be a mapping of user name to bcrypt hash.');
  for (const [user, hash] of Object.entries(section)) {
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) {
      throw new ExportConfigError(
        `basic_auth_users.${user} must be a bcrypt hash ($2y$10$…, from htpasswd -nBC 10 "" or Python's bcrypt).`,
      );
    }
    users.set(user, hash);
  }
  return users;
}

function readOrSay(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ExportConfigError(
      `The ${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
}

/** Reads the file, its certificate and its key, and checks that they go together; nothing is started. */
export function loadWebConfig(file: string): WebConfig {
  const path = resolve(file);
  const spec = (() => {
    const text = readOrSay(path, 'web-config file').toString('utf8');
    try {
      return parseWebConfig(text, dirname(path));
    } catch (error) {
      if (error instanceof ExportConfigError)
        throw new ExportConfigError(`${path} is no usable web-config: ${error.message}`);
      throw error;
    }
  })();
  let tlsFiles: WebConfig['tlsFiles'] = null;
  if (spec.tls) {
    tlsFiles = { cert: readOrSay(spec.tls.certFile, 'cert_file'), key: readOrSay(spec.tls.keyFile, 'key_file') };
    try {
      createSecureContext(tlsFiles);
    } catch (error) {
      throw new ExportConfigError(
        `${path}: its cert_file and key_file cannot serve TLS (${(error as Error).message}).`,
      );
    }
  }
  return { ...spec, file: path, tlsFiles };
}
