import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkMpiHostfile } from '../../../src/cli/mpi-hostfile.js';
import { parseChoice, parseSchedulerAddress } from '../../../src/cli/option-parsers.js';
import { GRID_ENGINES } from '../../../src/model/lab-types.js';

test('--scheduler: tcp:// or tls://, a host and a port', () => {
  for (const good of ['tcp://10.0.0.5:8786', 'tls://scheduler.example.org:8786', 'tcp://[::1]:8786'])
    assert.equal(parseSchedulerAddress(good), good);
  for (const bad of ['not-a-url', '10.0.0.5:8786', 'http://h:8786', 'tcp://h', 'tcp://h:0', 'tcp://h:70000', ''])
    assert.throws(() => parseSchedulerAddress(bad), /It must be a Dask scheduler's address, tcp:\/\/HOST:PORT/, bad);
});

test('--engine: local, dask or mpi', () => {
  assert.equal(parseChoice(GRID_ENGINES)('MPI'), 'mpi');
  assert.throws(() => parseChoice(GRID_ENGINES)('nonsense'), /It must be one of local, dask, mpi/);
});

test('--hostfile: a readable file, kept as an absolute path', () => {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-hostfile-'));
  try {
    const file = join(folder, 'hosts');
    writeFileSync(file, 'localhost slots=2\n');
    assert.equal(checkMpiHostfile(file), file);
    assert.throws(
      () => checkMpiHostfile('/nope'),
      /Cannot read it: there is no such file\. It must be mpirun's host file/,
    );
    assert.throws(() => checkMpiHostfile(folder), /it is not a file/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
