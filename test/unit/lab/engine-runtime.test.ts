import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineCommand } from '../../../src/lab/engine-command.js';
import {
  engineCandidates,
  engineLine,
  engineMissing,
  gridEngineOf,
  parseProbe,
  probeProblem,
} from '../../../src/lab/engine-runtime.js';

test('interpreters tried: PARATOP_PYTHON, python3 on the PATH, then the system one, each once', () => {
  assert.deepEqual(engineCandidates({}), ['python3', '/usr/bin/python3']);
  assert.deepEqual(engineCandidates({ PARATOP_PYTHON: '/opt/py/bin/python3' }), [
    '/opt/py/bin/python3',
    'python3',
    '/usr/bin/python3',
  ]);
  assert.deepEqual(engineCandidates({ PARATOP_PYTHON: '/usr/bin/python3' }), ['/usr/bin/python3', 'python3']);
});

test('why no interpreter will do, and what to install', () => {
  const dask = engineMissing('dask', [
    { command: 'python3', problem: 'no module distributed' },
    { command: '/usr/bin/python3', problem: 'not there' },
  ]);
  assert.equal(
    dask,
    'no Python here has Dask distributed (python3: no module distributed; /usr/bin/python3: not there). ' +
      'Install it: apt-get install python3-distributed (Debian, Ubuntu), or pip install distributed',
  );
  assert.match(
    engineMissing('mpi', [], 'mpirun was not found on the PATH'),
    /^mpirun was not found on the PATH\. Install it: apt-get install openmpi-bin python3-mpi4py/,
  );
});

test("a failed probe's reason, short", () => {
  const traceback =
    'Traceback (most recent call last):\n  File "<string>", line 1\n' +
    "ModuleNotFoundError: No module named 'distributed'\n";
  assert.equal(probeProblem(traceback, undefined, 'python3'), 'no module distributed');
  assert.equal(probeProblem('', 'ENOENT', 'python3'), 'not on the PATH');
  assert.equal(probeProblem('', 'ENOENT', '/opt/python3'), 'not there');
  assert.equal(probeProblem('AssertionError\n', undefined, 'python3'), 'AssertionError');
  assert.equal(probeProblem('', undefined, 'python3'), 'did not run');
});

test("a probe's answer: the interpreter's path, its version, the engine's", () => {
  assert.deepEqual(parseProbe('/usr/bin/python3 3.11.2 2022.12.1+ds.1\n'), {
    python: '/usr/bin/python3',
    pythonVersion: '3.11.2',
    version: '2022.12.1+ds.1',
  });
  assert.equal(parseProbe('something else entirely'), null);
  assert.equal(
    engineLine({
      available: true,
      engine: 'mpi',
      python: '/usr/bin/python3',
      pythonVersion: '3.11.2',
      version: '3.1.4',
      mpirun: '/usr/bin/mpirun',
    }),
    'mpi4py 3.1.4 under /usr/bin/python3 (Python 3.11.2), launched by /usr/bin/mpirun',
  );
});

test('the engine of a run: asked for, else the scenario’s, else the local pool', () => {
  assert.equal(gridEngineOf({}, {}), 'local');
  assert.equal(gridEngineOf({ engine: 'mpi' }, {}), 'mpi');
  assert.equal(gridEngineOf({}, { engine: 'dask' }), 'dask');
});

const spec = { grid: [3, 3, 2], taskMs: 200, workers: 2, maxSeconds: 130 };
const launch = { python: '/usr/bin/python3', program: '/p/paratop_grid.py', mpirun: '/usr/bin/mpirun' };

test('Dask: the task program itself, which starts the local cluster or joins the scheduler given', () => {
  const request = engineCommand({ ...spec, engine: 'dask' }, { ...launch, asRoot: false });
  assert.deepEqual(request.argv.slice(0, 2), ['/usr/bin/python3', '/p/paratop_grid.py']);
  assert.deepEqual(JSON.parse(request.argv[2] ?? ''), { ...spec, engine: 'dask' });
  assert.equal(request.display, '/usr/bin/python3 /p/paratop_grid.py {spec}');
});

test('MPI: mpirun with a rank per worker and one that hands out tasks; root and a host file only when so', () => {
  const plain = engineCommand({ ...spec, engine: 'mpi' }, { ...launch, asRoot: false });
  assert.deepEqual(plain.argv.slice(0, -1), [
    '/usr/bin/mpirun',
    '-np',
    '3',
    '--oversubscribe',
    '/usr/bin/python3',
    '-m',
    'mpi4py.futures',
    '/p/paratop_grid.py',
  ]);
  const root = engineCommand({ ...spec, engine: 'mpi' }, { ...launch, asRoot: true, hostfile: '/etc/hosts.mpi' });
  assert.deepEqual(root.argv.slice(3, 7), ['--oversubscribe', '--allow-run-as-root', '--hostfile', '/etc/hosts.mpi']);
});
