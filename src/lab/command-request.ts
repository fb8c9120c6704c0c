import { type CommandRequest, commandFromArgs, commandFromLine } from './command-line.js';
import { findExecutable } from './find-executable.js';

/**
 * A command checked before anything starts: split (from paratop's arguments, or a typed line) and
 * its program found, so "not found" and "not executable" are said plainly, not discovered later.
 * Throws CommandLineError with the reason.
 */
export function runnableCommand(
  source: { args: readonly string[]; shell: boolean } | { line: string },
  env = process.env,
  cwd = process.cwd(),
): CommandRequest {
  const request = 'line' in source ? commandFromLine(source.line, env) : commandFromArgs(source.args, source.shell);
  findExecutable(request.argv[0] ?? '', env, cwd);
  return request;
}
