import { execFile } from 'node:child_process';

export type PythonRuntime =
  | { available: true; path: string; version: string; freeThreaded: boolean }
  | { available: false; reason: string };

let found: Promise<PythonRuntime> | null = null;

/** python3 on the PATH, its version, and whether it is a free-threaded build (no GIL). Asked once. */
export function python(command = process.env.PARATOP_PYTHON || 'python3'): Promise<PythonRuntime> {
  found ??= new Promise((resolve) => {
    const probe = 'import sys, sysconfig, json; g = getattr(sys, "_is_gil_enabled", None); print(json.dumps([sys.version.split()[0], bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and not (g() if g else False)]))';
    execFile(command, ['-c', probe], { timeout: 10_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ available: false, reason: code === 'ENOENT' ? `${command} was not found on the PATH` : `${command} did not run: ${error.message}` });
        return;
      }
      try {
        const [version, freeThreaded] = JSON.parse(stdout) as [string, boolean];
        const [major = 0, minor = 0] = version.split('.').map(Number);
        if (major < 3 || (major === 3 && minor < 8)) resolve({ available: false, reason: `${command} is Python ${version}; the lab needs 3.8 or newer` });
        else resolve({ available: true, path: command, version, freeThreaded });
      } catch {
        resolve({ available: false, reason: `${command} gave an answer paratop did not understand` });
      }
    });
  });
  return found;
}
