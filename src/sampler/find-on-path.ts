import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Why `path` cannot be run, or null when it is an executable file. */
export function notRunnable(path: string): string | null {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return 'does not exist';
  }
  if (!isFile) return 'is not a file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'is not executable';
  }
  return null;
}

/** A bare program name looked up on the PATH as execvp does (relative folders from `cwd`); null if absent. */
export function findOnPath(
  program: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
): string | null {
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(isAbsolute(folder) ? folder : resolve(cwd, folder), program);
    if (notRunnable(path) === null) return path;
  }
  return null;
}
