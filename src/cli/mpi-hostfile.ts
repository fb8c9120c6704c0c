import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

const PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'paratop may not read it',
  ENOTDIR: 'a folder in its path is a file',
};

/** --hostfile: checked when the option is parsed, so mpirun is never started with a file it cannot read. */
export function checkMpiHostfile(path: string): string {
  try {
    if (!statSync(path).isFile())
      throw new InvalidArgumentError(
        "Cannot use it: it is not a file. It must be mpirun's host file (one host a line, e.g. node1 slots=4).",
      );
    accessSync(path, constants.R_OK);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new InvalidArgumentError(
      `Cannot read it: ${PROBLEMS[code] ?? code}. It must be mpirun's host file (one host a line, e.g. node1 slots=4).`,
    );
  }
  // mpirun runs in paratop's folder, but the path is shown and kept as one that works anywhere.
  return resolve(path);
}
