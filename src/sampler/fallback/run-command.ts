import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { findOnPath } from '../find-on-path.js';

/** A command's output as latin1 text (one character per byte, for fixed-width columns) and its exit code. */
export interface CommandOutput {
  stdout: string;
  /** 0 on success; another number for a failure that may still have printed (ps -p for a gone PID). */
  exitCode: number;
  /** The command's own PID: a ps lists itself, and a monitor should not show its own tools. */
  pid: number | null;
}

/** Runs one program (never a shell); rejects only when it cannot be started at all. What tests replace. */
export type RunCommand = (file: string, args: readonly string[]) => Promise<CommandOutput>;

/** The C locale: dates and decimals in ps and sysctl are then the same on every machine. */
const C_LOCALE = { ...process.env, LC_ALL: 'C', LANG: 'C' };

const resolved = new Map<string, string>();

/**
 * A program's path, looked up on the PATH once: given a bare name, every start would have the
 * child try each PATH entry in turn (an execve per entry) before the one that exists.
 */
export function programPath(file: string, path = process.env.PATH ?? ''): string {
  if (isAbsolute(file)) return file;
  const known = resolved.get(file);
  if (known) return known;
  const found = findOnPath(file, { PATH: path });
  if (found) resolved.set(file, found);
  return found ?? file;
}

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      programPath(file),
      args,
      { encoding: 'latin1', env: C_LOCALE, timeout: 10_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error && typeof code !== 'number') reject(error);
        else resolve({ stdout, exitCode: typeof code === 'number' ? code : 0, pid: child.pid ?? null });
      },
    );
  });
