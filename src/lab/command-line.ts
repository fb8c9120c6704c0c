import { parse, quote } from 'shell-quote';

/** A command the user wants to run and watch: its argument vector, or a line for /bin/sh. */
export interface CommandRequest {
  /** Program and arguments, run as they are (no shell), or ['/bin/sh', '-c', line] with a shell. */
  argv: string[];
  /** How to show it: as the user would type it. */
  display: string;
  shell: boolean;
}

/** A command that cannot be run as given; the message says why and what would work. */
export class CommandLineError extends Error {
  readonly code = 'PARATOP_COMMAND_LINE';
}

const USAGE = 'paratop run -- <command> [args...]';

/** Arguments given on paratop's own command line (after `--`): already split by the user's shell. */
export function commandFromArgs(args: readonly string[], shell: boolean): CommandRequest {
  if (args.length === 0 || args[0] === '') throw new CommandLineError(`no command given. Usage: ${USAGE}`);
  if (shell) {
    const line = args.join(' ');
    // /bin/sh -c '   ' would run nothing and exit 0: that is no command either.
    if (line.trim() === '') throw new CommandLineError(`no command given. Usage: ${USAGE}`);
    return { argv: ['/bin/sh', '-c', line], display: line, shell: true };
  }
  return { argv: [...args], display: quote([...args]), shell: false };
}

/** What the shell syntax the user typed means, for the message that refuses it without --shell. */
function describeOperator(entry: { op: string; pattern?: string }): string {
  return entry.op === 'glob' ? `the pattern ${entry.pattern ?? ''}` : `"${entry.op}"`;
}

/**
 * A line typed at the dashboard's prompt. Quotes, backslashes and $VARIABLES are understood as a
 * shell would; pipes, redirections, `;`, `&&` and globs need a shell, so they are refused unless
 * the line starts with `--shell`, which hands the rest to /bin/sh as typed.
 */
export function commandFromLine(
  line: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CommandRequest {
  const trimmed = line.trim();
  const shellPrefix = /^--shell(\s+|$)/.exec(trimmed);
  if (shellPrefix) {
    const rest = trimmed.slice(shellPrefix[0].length).trim();
    if (rest === '') throw new CommandLineError('--shell needs a command line after it.');
    return commandFromArgs([rest], true);
  }
  if (trimmed === '')
    throw new CommandLineError('no command given. Type a program and its arguments, e.g. python3 0.py');
  const words: string[] = [];
  for (const entry of parse(trimmed, (key) => env[key] ?? '')) {
    if (typeof entry === 'string') words.push(entry);
    else if ('comment' in entry) break;
    else
      throw new CommandLineError(
        `${describeOperator(entry as { op: string; pattern?: string })} needs ` +
          `a shell: start the line with --shell to run it through /bin/sh.`,
      );
  }
  return commandFromArgs(words, false);
}
