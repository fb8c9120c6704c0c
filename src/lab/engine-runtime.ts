import { execFile } from 'node:child_process';
import { CommandLineError } from './command-line.js';
import { findExecutable } from './find-executable.js';
import type { GridEngine } from '../model/lab-types.js';

/** The engines grid-search can run on besides its own pool. */
export type DistributedEngine = 'dask' | 'mpi';
/** What the lab looks for in the machine's Pythons: a distributed engine, or a GPU library (gpu-cores). */
export type LabLibrary = DistributedEngine | 'gpu';
export type { GridEngine } from '../model/lab-types.js';

export type EngineRuntime =
  | {
      available: true;
      engine: LabLibrary;
      /** The interpreter that has the engine, as found (a path). */
      python: string;
      pythonVersion: string;
      /** The engine's version (distributed's, or mpi4py's). */
      version: string;
      /** MPI only: mpirun's path. */
      mpirun: string | null;
    }
  | { available: false; engine: LabLibrary; reason: string };

export type FoundEngine = Extract<EngineRuntime, { available: true }>;

/** Where Debian and Ubuntu keep each engine, and pip's name for it: what to install. */
export const ENGINE_PACKAGES: Record<LabLibrary, { title: string; debian: string; pip: string }> = {
  dask: { title: 'Dask distributed', debian: 'python3-distributed', pip: 'distributed' },
  mpi: { title: 'MPI (mpi4py and mpirun)', debian: 'openmpi-bin python3-mpi4py', pip: 'mpi4py' },
  // Debian's python3-torch has no GPU support: only pip's CUDA or ROCm builds (or CuPy) will do.
  gpu: { title: 'a GPU with PyTorch or CuPy', debian: '', pip: 'torch (a CUDA or ROCm build), or cupy-cuda12x' },
};

/** What each interpreter is asked: its path and version, and the engine's (mpi4py.MPI found, not loaded). */
const PROBES: Record<LabLibrary, string> = {
  dask: 'import sys, distributed; print(sys.executable, sys.version.split()[0], distributed.__version__)',
  mpi:
    'import sys, importlib.util, mpi4py; assert importlib.util.find_spec("mpi4py.futures"); ' +
    'assert importlib.util.find_spec("mpi4py.MPI"); print(sys.executable, sys.version.split()[0], mpi4py.__version__)',
  // PyTorch first, then CuPy; a library without a GPU is no use here, and says so.
  gpu: [
    'import sys',
    'try:',
    '    import torch',
    '    if not torch.cuda.is_available():',
    '        raise SystemExit("torch %s sees no GPU (torch.cuda.is_available() is False)" % torch.__version__)',
    '    lib = "torch-" + torch.__version__',
    'except ImportError:',
    '    try:',
    '        import cupy',
    '    except ImportError:',
    '        raise SystemExit("no module torch or cupy")',
    '    if cupy.cuda.runtime.getDeviceCount() < 1:',
    '        raise SystemExit("cupy %s sees no GPU" % cupy.__version__)',
    '    lib = "cupy-" + cupy.__version__',
    'print(sys.executable, sys.version.split()[0], lib)',
  ].join('\n'),
};

/**
 * The interpreters to try, in order, each once: PARATOP_PYTHON, python3 on the PATH, then the
 * system's /usr/bin/python3, where Debian's python3-distributed and python3-mpi4py load (a
 * python3 from pyenv or a virtual environment first on the PATH does not see them).
 */
export function engineCandidates(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return [...new Set([env.PARATOP_PYTHON, 'python3', '/usr/bin/python3'].filter((entry): entry is string => !!entry))];
}

export interface ProbeAttempt {
  command: string;
  /** Why this one will not do. */
  problem: string;
}

/** Why no interpreter will do, and what to install: for the greyed row and `lab run`'s refusal. */
export function engineMissing(engine: LabLibrary, attempts: readonly ProbeAttempt[], mpirun?: string): string {
  const { title, debian, pip } = ENGINE_PACKAGES[engine];
  const tried = attempts.map((attempt) => `${attempt.command}: ${attempt.problem}`).join('; ');
  const what = mpirun ? `${mpirun}` : `no Python here has ${title}${tried ? ` (${tried})` : ''}`;
  if (engine === 'gpu') return `${what}. paratop installs nothing: pip install ${pip}, where there is a GPU`;
  return `${what}. Install it: apt-get install ${debian} (Debian, Ubuntu), or pip install ${pip}`;
}

/** What the first line of a failed probe says, short: "No module named 'distributed'". */
export function probeProblem(stderr: string, code: string | undefined, command: string): string {
  if (code === 'ENOENT' || code === 'EACCES') return command.includes('/') ? 'not there' : 'not on the PATH';
  const lines = stderr.trim().split('\n');
  const last = lines.at(-1)?.trim() ?? '';
  const noModule = /No module named '([^']+)'/.exec(last);
  if (noModule) return `no module ${noModule[1]}`;
  return last === '' ? 'did not run' : last.slice(0, 80);
}

/** "EXECUTABLE VERSION ENGINE-VERSION" -> its parts; null when the answer is not that. */
export function parseProbe(stdout: string): { python: string; pythonVersion: string; version: string } | null {
  const words = stdout.trim().split(/\s+/);
  if (words.length !== 3) return null;
  const [python = '', pythonVersion = '', version = ''] = words;
  if (!/^\d+\.\d+/.test(pythonVersion) || !/^((torch|cupy)-)?\d+\.\d+/.test(version)) return null;
  return { python, pythonVersion, version };
}

function probe(command: string, engine: LabLibrary): Promise<FoundEngine | ProbeAttempt> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBES[engine]], { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      const found = error ? null : parseProbe(stdout);
      if (!found) {
        resolve({
          command,
          problem: probeProblem(String(stderr), typeof code === 'string' ? code : undefined, command),
        });
        return;
      }
      resolve({ available: true, engine, ...found, mpirun: null });
    });
  });
}

/** Each engine is looked for once per interpreter list (PARATOP_PYTHON may change between calls: tests do). */
const cache = new Map<string, Promise<EngineRuntime>>();

/** An interpreter that has the engine (and, for MPI, mpirun), or why there is none. Never installs anything. */
export function findEngine(engine: LabLibrary, env = process.env): Promise<EngineRuntime> {
  const candidates = engineCandidates(env);
  const key = `${engine} ${candidates.join(' ')} ${env.PATH ?? ''}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = lookFor(engine, candidates, env);
    cache.set(key, answer);
  }
  return answer;
}

async function lookFor(
  engine: LabLibrary,
  candidates: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<EngineRuntime> {
  let mpirun: string | null = null;
  if (engine === 'mpi') {
    try {
      mpirun = findExecutable('mpirun', env);
    } catch (error) {
      if (!(error instanceof CommandLineError)) throw error;
      return { available: false, engine, reason: engineMissing(engine, [], 'mpirun was not found on the PATH') };
    }
  }
  const attempts: ProbeAttempt[] = [];
  for (const command of candidates) {
    const answer = await probe(command, engine);
    if ('available' in answer) return { ...answer, mpirun };
    attempts.push(answer);
  }
  return { available: false, engine, reason: engineMissing(engine, attempts) };
}

/** Which interpreter and engine ran, for the panel and the result. */
export function engineLine(found: FoundEngine): string {
  if (found.engine === 'gpu')
    return `${found.version.replace('-', ' ')} under ${found.python} (Python ${found.pythonVersion})`;
  const what = found.engine === 'dask' ? 'Dask distributed' : 'mpi4py';
  const mpirun = found.mpirun ? `, launched by ${found.mpirun}` : '';
  return `${what} ${found.version} under ${found.python} (Python ${found.pythonVersion})${mpirun}`;
}

/** The engine a run of grid-search uses: asked for (--engine), else its scenario's, else its own pool. */
export function gridEngineOf(scenario: { engine?: LabLibrary }, options: { engine?: GridEngine }): GridEngine {
  return options.engine ?? (scenario.engine === 'gpu' ? undefined : scenario.engine) ?? 'local';
}
