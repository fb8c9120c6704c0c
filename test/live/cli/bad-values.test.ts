import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';
import { runWatched } from '../../helpers/started.js';

/** Options that take any text: no value is wrong. */
const FREE_TEXT = new Set(['--filter', '--record', '--out']);
/** What a command needs besides the option under test, so only that option is wrong. */
const CONTEXT: Record<string, string[]> = {
  'lab run': ['race'],
  calc: ['--tasks', '10', '--task-seconds', '1', '--deadline', '1m'],
};

function commands(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((sub) => commands(sub, [...path, sub.name()]))];
}

/**
 * Every option of every command, given a value that cannot be right: a message naming the value,
 * exit 2, and nothing started. The list comes from the program itself, so a new option is covered.
 */
describe('every option with a bad value', () => {
  const program = buildProgram({ runDashboard: async () => undefined, runReplay: async () => undefined });
  const cases = commands(program).flatMap(({ path, command }) =>
    command.options
      .filter((option) => option.required && option.long && !FREE_TEXT.has(option.long))
      .map((option) => ({ path, flag: option.long as string })),
  );

  test('the program has options to check', () => {
    assert.ok(cases.length >= 15, `found ${cases.length}`);
  });

  test('the "nothing was started" check sees what paratop starts', {
    skip: process.platform !== 'linux' && 'reads /proc',
  }, async () => {
    const result = await runWatched(['lab', 'run', 'one-thread', '--seconds', '0.3']);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(
      result.started.some((entry) => entry.commands.some((command) => /thread-host|paratop-lab/.test(command))),
      `seen: ${JSON.stringify(result.started)}`,
    );
  });

  for (const { path, flag } of cases) {
    const args = [...path, ...(CONTEXT[path.join(' ')] ?? []), flag, 'bogus'];
    test(`paratop ${args.join(' ')}`, async () => {
      const result = await runWatched(args, {}, 20_000);
      assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
      assert.match(result.stderr, /'bogus'/, 'the message names the bad value');
      assert.match(result.stderr, new RegExp(flag), 'and the option');
      assert.equal(result.stdout, '');
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    });
  }
});

/** The exporter's values, each with the words the message must hold: what was wrong and what is accepted. */
describe('the exporter: bad values, a port in use, a web-config that cannot serve', () => {
  const invalidYaml = join(tmpdir(), `paratop-bad-web-config-${process.pid}.yml`);
  writeFileSync(invalidYaml, 'basic_auth_users:\n  alice: plain-text-password\n');
  const cases: [string[], RegExp][] = [
    [['serve', '--listen', 'nonsense'], /'nonsense'.*ADDRESS:PORT/],
    [['serve', '--listen', '127.0.0.1:99999'], /'127\.0\.0\.1:99999'.*port from 0 to 65535/],
    [['serve', '--web-config', '/nonexistent/web.yml'], /cannot be read \(ENOENT\)/],
    [['serve', '--web-config', invalidYaml], /alice must be a bcrypt hash/],
    [['serve', '--export-processes', '0'], /'0'.*whole number from 1/],
    [['serve', '--export-processes', '-1'], /'-1'.*whole number from 1/],
    [['serve', '--export-processes', 'abc'], /'abc'.*whole number from 1/],
    [['--export', '127.0.0.1:99999'], /'127\.0\.0\.1:99999'/],
    [['--web-config', invalidYaml], /bcrypt hash/],
  ];
  for (const [args, message] of cases) {
    test(`paratop ${args.join(' ')}`, async () => {
      const result = await runWatched(args, {}, 20_000);
      assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    });
  }

  test('paratop serve on a port already in use says so', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const result = await runWatched(['serve', '--listen', `127.0.0.1:${port}`], {}, 20_000);
      assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    } finally {
      holder.close();
    }
  });
});

/** The other hosts' options, with the values a person gets wrong: the message names it and what is accepted. */
describe('other hosts: bad values', () => {
  const cases: [string[], RegExp][] = [
    [['--hosts', ''], /argument '' is invalid\. It must be HOST:PORT\[,HOST:PORT\.\.\.\].*it is empty/],
    [['--hosts', 'nonsense:port'], /argument 'nonsense:port' is invalid\. It must be HOST:PORT.*"port" is not a port/],
    [['--hosts-file', '/nope'], /argument '\/nope' is invalid\. Cannot read it: there is no such file\. It must be/],
    [['--prometheus', 'not-a-url'], /argument 'not-a-url' is invalid\. It must be the http\(s\) URL of a Prometheus/],
    [['--prometheus-selector', 'job=lab'], /argument 'job=lab' is invalid\. It must be label matchers in braces/],
  ];
  // The dashboard (no sub-command) takes them too, for its hosts view.
  for (const command of [[], ['snapshot'], ['watch']]) {
    for (const [args, message] of cases) {
      test(`paratop ${[...command, ...args].map((arg) => (arg === '' ? "''" : arg)).join(' ')}`, async () => {
        const result = await runWatched([...command, ...args], {}, 20_000);
        assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
        assert.match(result.stderr, message);
        assert.equal(result.stdout, '');
        if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
      });
    }
  }

  test('--prometheus-selector without --prometheus, and --csv with hosts', async () => {
    const selector = await runWatched(['snapshot', '--prometheus-selector', '{job="lab"}']);
    assert.equal(selector.status, 2);
    assert.match(selector.stderr, /--prometheus-selector narrows --prometheus; give --prometheus URL too/);
    const csv = await runWatched(['snapshot', '--hosts', 'a:1', '--csv']);
    assert.equal(csv.status, 2);
    assert.match(csv.stderr, /--csv is for this machine's processes; with other hosts use --json/);
  });
});

/** grid-search's engine options: the value named, what is accepted, exit 2, nothing started. */
describe('grid-search on an engine: bad values', () => {
  const cases: [string[], RegExp][] = [
    [['--engine', 'nonsense'], /argument 'nonsense' is invalid\. It must be one of local, dask, mpi/],
    [
      ['--engine', 'dask', '--scheduler', 'not-a-url'],
      /'not-a-url' is invalid\. It must be a Dask scheduler's address, tcp:\/\/HOST:PORT/,
    ],
    [
      ['--engine', 'mpi', '--hostfile', '/nope'],
      /'\/nope' is invalid\. Cannot read it: there is no such file\. It must be mpirun's host file/,
    ],
    [['--task-ms', '0'], /'0' is invalid\. It must be a whole number from 1 to 60000/],
    [['--engine', 'mpi', '--price-per-core-hour', '-1'], /'-1' is invalid\. It must be a number greater than 0/],
    [
      ['--scheduler', 'tcp://127.0.0.1:8786'],
      /--scheduler is Dask's: give --engine dask with it \(the engine here is local\)/,
    ],
    [
      ['--engine', 'dask', '--hostfile', '/etc/hostname'],
      /--hostfile is mpirun's: give --engine mpi with it \(the engine here is dask\)/,
    ],
  ];
  for (const [args, message] of cases) {
    test(`paratop lab run grid-search ${args.join(' ')}`, async () => {
      const result = await runWatched(['lab', 'run', 'grid-search', ...args], {}, 20_000);
      assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    });
  }

  test('an engine no Python has: exit 2, with what to install', async () => {
    // A PATH with nothing on it: mpirun is not found.
    const result = await runWatched(['lab', 'run', 'grid-search', '--engine', 'mpi'], { PATH: '/nonexistent' }, 20_000);
    assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
    assert.match(result.stderr, /grid-search on mpi needs MPI \(mpi4py and mpirun\): mpirun was not found on the PATH/);
    assert.match(result.stderr, /Install it: apt-get install openmpi-bin python3-mpi4py/);
    assert.equal(result.stdout, '');
  });
});

describe('snapshot --threads: a PID that is not there, and CSV', () => {
  test('no such process, and --threads with --csv: exit 2, saying which', async () => {
    const gone = await runWatched(['snapshot', '--threads', '4194303']);
    assert.equal(gone.status, 2);
    assert.match(gone.stderr, /--threads 4194303: no such process/);
    const csv = await runWatched(['snapshot', '--csv', '--threads', String(process.pid)]);
    assert.equal(csv.status, 2);
    assert.match(csv.stderr, /--threads gives a second table: use --json or the text output, not --csv/);
  });
});
