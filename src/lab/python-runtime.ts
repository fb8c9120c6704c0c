import { execFile } from 'node:child_process';

export type PythonRuntime =
  | { available: true; path: string; version: string; freeThreaded: boolean }
  | { available: false; reason: string };

/** Each command is asked once; PARATOP_PYTHON may name another between calls (tests do). */
const found = new Map<string, Promise<PythonRuntime>>();

/** What the probe prints: the version, and whether this build runs without a GIL. */
const PROBE =
  'import sys, sysconfig, json; g = getattr(sys, "_is_gil_enabled", None); ' +
  'print(json.dumps([sys.version.split()[0], ' +
  'bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and not (g() if g else ' +
  'False)]))';

/** Why a command could not be run, in words that fit how it was given (a name looked up, or a path). */
function missing(command: string): string {
  return command.includes('/')
    ? `${command} does not exist or is not executable`
    : `${command} was not found on the PATH`;
}

/** python3 (or the given command), its version, and whether it is a free-threaded build (no GIL). */
export function python(command = process.env.PARATOP_PYTHON || 'python3'): Promise<PythonRuntime> {
  let answer = found.get(command);
  if (!answer) {
    answer = probe(command);
    found.set(command, answer);
  }
  return answer;
}

function probe(command: string): Promise<PythonRuntime> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBE], { timeout: 10_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({
          available: false,
          reason:
            code === 'ENOENT' || code === 'EACCES' ? missing(command) : `${command} did not run: ${error.message}`,
        });
        return;
      }
      try {
        const [version, freeThreaded] = JSON.parse(stdout) as [string, boolean];
        const [major = 0, minor = 0] = version.split('.').map(Number);
        if (major < 3 || (major === 3 && minor < 8))
          resolve({ available: false, reason: `${command} is Python ${version}; the lab needs 3.8 or newer` });
        else resolve({ available: true, path: command, version, freeThreaded: freeThreaded === true });
      } catch {
        resolve({
          available: false,
          reason: `${command} gave an answer paratop did not understand: "${stdout.trim().slice(0, 80)}"`,
        });
      }
    });
  });
}
