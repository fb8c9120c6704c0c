import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CommandLineError } from './command-line.js';

function problemWith(path: string): string | null {
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

/**
 * Where the program of a command is, found the way execvp would (a name with a slash as a path, a
 * bare name on the PATH), so that an unrunnable command is refused with a reason before anything
 * starts.
 */
export function findExecutable(
  program: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
): string {
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    const problem = problemWith(path);
    if (problem === 'is not executable') {
      throw new CommandLineError(
        `${program} is not executable. Make it so (chmod +x ${program}), or name its interpreter: python3 ${program}`,
      );
    }
    if (problem) throw new CommandLineError(`${program} ${problem}.`);
    return path;
  }
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const folder of folders) {
    const path = join(isAbsolute(folder) ? folder : resolve(cwd, folder), program);
    if (problemWith(path) === null) return path;
  }
  throw new CommandLineError(
    `"${program}" was not found on the PATH (${folders.length} folders ` +
      `searched). Give its path, or check the spelling.`,
  );
}
