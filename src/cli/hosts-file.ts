import { readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { HostTarget } from '../hosts/host-target.js';
import { parseHostsFileText } from './option-parsers.js';

/** A hosts file is a list of names; a bigger one is a wrong path (a log, a disk image). */
const MAX_HOSTS_FILE_BYTES = 1024 * 1024;

const READ_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'paratop may not read it',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a folder in its path is a file',
};

/** --hosts-file: read when the option is parsed, so a bad file stops paratop before anything starts. */
export function readHostsFile(path: string): HostTarget[] {
  let text: string;
  try {
    if (statSync(path).size > MAX_HOSTS_FILE_BYTES) {
      throw new InvalidArgumentError('It is over 1 MB: it must be a list of HOST:PORT lines.');
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new InvalidArgumentError(
      `Cannot read it: ${READ_PROBLEMS[code] ?? code}. ` +
        'It must be a file of HOST:PORT lines, each with an optional name.',
    );
  }
  return parseHostsFileText(text);
}
