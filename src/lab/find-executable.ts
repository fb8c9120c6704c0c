import { delimiter, isAbsolute, resolve } from 'node:path';
import { findOnPath, notRunnable } from '../sampler/find-on-path.js';
import { CommandLineError } from './command-line.js';

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
    const problem = notRunnable(path);
    if (problem === 'is not executable') {
      throw new CommandLineError(
        `${program} is not executable. Make it so (chmod +x ${program}), or name its interpreter: python3 ${program}`,
      );
    }
    if (problem) throw new CommandLineError(`${program} ${problem}.`);
    return path;
  }
  const found = findOnPath(program, env, cwd);
  if (found) return found;
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  throw new CommandLineError(
    `"${program}" was not found on the PATH (${folders.length} folders ` +
      `searched). Give its path, or check the spelling.`,
  );
}
