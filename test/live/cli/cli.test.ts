import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BIN } from '../../helpers/pty-session.js';
import { isAlive } from '../../helpers/processes.js';
import { runWatched } from '../../helpers/started.js';
import type { RunResult } from '../../../src/model/lab-types.js';
import type { CacheLevel } from '../../../src/model/types.js';
import { cannotHideCaches, paratopWithoutSysfsCaches } from '../../helpers/hidden-caches.js';

/** Whether this Linux reports an L1 data cache in sysfs or through getconf (CPUID), read without paratop. */
function osReportsL1d(): boolean {
  try {
    if (readdirSync('/sys/devices/system/cpu/cpu0/cache').length > 0) return true;
  } catch {
    // no sysfs cache folder: a Firecracker-style VM
  }
  const getconf = spawnSync('getconf', ['LEVEL1_DCACHE_SIZE'], { encoding: 'utf8' });
  return getconf.status === 0 && Number(getconf.stdout.trim()) > 0;
}

/** Run the real bin without a terminal, as a script would. */
function paratop(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('command-line mistakes: a message naming the bad value and what is accepted, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--interval', '0'],
      /'--interval <seconds>' argument '0' is invalid\. It must be a number of seconds from 0\.1 to 3600/,
    ],
    [['--interval', 'abc'], /argument 'abc' is invalid/],
    [['--interval', '-1'], /argument '-1' is invalid/],
    [['--bogus'], /unknown option '--bogus'/],
    [
      ['frobnicate'],
      /unknown command "frobnicate"\. Commands: run, snapshot, watch, record, replay, export-trace, info/,
    ],
    [['--sort', 'colour'], /argument 'colour' is invalid\. It must be one of pid, user, cpu/],
    [['watch', '--format', 'xml'], /argument 'xml' is invalid\. It must be one of ndjson, csv/],
    [['watch', '--count', '0'], /argument '0' is invalid\. It must be a whole number from 1/],
    [['watch', '--count', '2.5'], /argument '2\.5' is invalid/],
    [['watch', '--interval', 'NaN'], /argument 'NaN' is invalid/],
    [['snapshot', '--limit', '-3'], /argument '-3' is invalid|unknown option '-3'/],
    [['snapshot', '--json', '--csv'], /--json and --csv were both given/],
    [['info', 'extra'], /too many arguments|unknown command/],
  ];
  for (const [args, message] of cases) {
    test(`paratop ${args.join(' ')}`, () => {
      const result = paratop(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }

  test('an unknown PARATOP_SAMPLER is named', () => {
    const result = paratop(['snapshot', '--json'], { PARATOP_SAMPLER: 'magic' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /PARATOP_SAMPLER is "magic"; expected auto, linux or fallback/);
  });
});

describe('without a terminal', () => {
  test('plain paratop points to snapshot and watch, exit 2', () => {
    const result = paratop([]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /needs a terminal/);
    assert.match(result.stderr, /paratop snapshot --json/);
    assert.match(result.stderr, /paratop watch --format ndjson/);
  });

  test('--help and --version exit 0', () => {
    const help = paratop(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /snapshot/);
    const version = paratop(['--version']);
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout.trim(), manifest.version);
  });
});

describe('headless output', () => {
  test('snapshot --json: one entry per core, memory, processes with pid/name/cpu/rss/threads, machine facts', () => {
    const result = paratop(['snapshot', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const snapshot = JSON.parse(result.stdout) as {
      cores: { id: number; total: number }[];
      memory: { totalBytes: number };
      processes: {
        pid: number;
        name: string;
        cpu: number | null;
        rss: number;
        threads: number | null;
        command: string;
      }[];
      machine: { logicalCores: number; caches: unknown[] };
      sampler: string;
    };
    assert.equal(snapshot.cores.length, cpus().length);
    assert.ok(snapshot.cores.every((core) => core.total >= 0 && core.total <= 100));
    assert.ok(snapshot.memory.totalBytes > 0);
    assert.equal(snapshot.machine.logicalCores, cpus().length);
    assert.equal(snapshot.sampler, process.platform === 'linux' ? 'linux-proc' : 'ps');
    const self = snapshot.processes.find((entry) => entry.command.includes('snapshot --json'));
    assert.ok(self, 'the snapshot sees itself');
    assert.equal(typeof self.cpu, 'number', 'a process alive for the whole window has a measured CPU%');
    assert.ok(self.rss > 1024 * 1024);
    assert.ok((self.threads ?? 0) >= 1);
    assert.equal(self.name, 'node');
  });

  test('snapshot text, sorted and limited', () => {
    const result = paratop(['snapshot', '--sort', 'pid', '--limit', '3', '--interval', '0.2']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^cores/);
    assert.match(lines[3] ?? '', /PID USER/);
    assert.equal(lines.length, 7);
    assert.match(lines[4] ?? '', /^\s+1 /);
  });

  test('watch --format ndjson --count 2: two JSON lines', () => {
    const result = paratop(['watch', '--format', 'ndjson', '--count', '2', '--interval', '0.3', '--limit', '5']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const record = JSON.parse(line) as { cores: unknown[]; processes: unknown[] };
      assert.equal(record.cores.length, cpus().length);
      assert.equal(record.processes.length, 5);
    }
  });

  test('watch --format csv: a header, one row per process, command lines quoted', () => {
    const result = paratop([
      'watch',
      '--format',
      'csv',
      '--count',
      '1',
      '--interval',
      '0.2',
      '--filter',
      'watch --format csv',
    ]);
    assert.equal(result.status, 0, result.stderr);
    const [header, row] = result.stdout.trim().split('\n');
    assert.equal(
      header,
      'taken_at,pid,ppid,user,state,cpu,mem_percent,rss,threads,ctx_per_second,' +
        'ctx_voluntary_per_second,ctx_involuntary_per_second,last_cpu,wait_percent,gpu_percent,gpu_memory_bytes,' +
        'name,command',
    );
    assert.match(row ?? '', /,node,.*bin\/paratop watch --format csv/);
  });

  test('info --json: cores, caches, memory', () => {
    const result = paratop(['info', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const info = JSON.parse(result.stdout) as {
      logicalCores: number;
      physicalCores: number;
      memoryBytes: number;
      caches: CacheLevel[];
    };
    assert.equal(info.logicalCores, cpus().length);
    assert.ok(info.physicalCores >= 1);
    assert.ok(info.memoryBytes > 0);
    for (const cache of info.caches) {
      assert.deepEqual(Object.keys(cache).sort(), ['bytes', 'lineBytes', 'name', 'sharedBy', 'source']);
      assert.ok(['sysfs', 'cpuid', 'cpuinfo', 'sysctl', 'measured'].includes(cache.source), cache.source);
      assert.ok(cache.bytes > 0);
    }
    // Whatever this machine's OS offers (sysfs, or CPUID through getconf on VMs without it), an L1d it reports is
    // shown.
    if (process.platform === 'linux' && osReportsL1d())
      assert.ok(
        info.caches.some((cache) => cache.name === 'L1d'),
        JSON.stringify(info.caches),
      );
  });

  const hidden = cannotHideCaches();
  test('info on a VM without sysfs cache information: the sizes from CPUID, said so', { skip: hidden ?? false }, () => {
    const json = paratopWithoutSysfsCaches(['info', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const caches = (JSON.parse(json.stdout) as { caches: CacheLevel[] }).caches;
    if (osReportsL1d())
      assert.ok(
        caches.some((cache) => cache.name === 'L1d'),
        JSON.stringify(caches),
      );
    assert.ok(
      caches.every((cache) => cache.source !== 'sysfs'),
      JSON.stringify(caches),
    );
    const text = paratopWithoutSysfsCaches(['info']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Caches {2}L1d \d.* \(.*from CPUID via getconf\)$/m);
  });

  test('info where the OS reports no cache at all: it says so, and exits 0', { skip: hidden ?? false }, () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'paratop-data-'));
    try {
      const json = paratopWithoutSysfsCaches(['info', '--json'], true, { XDG_DATA_HOME: dataHome });
      assert.equal(json.status, 0, json.stderr);
      assert.deepEqual((JSON.parse(json.stdout) as { caches: CacheLevel[] }).caches, []);
      const text = paratopWithoutSysfsCaches(['info'], true, { XDG_DATA_HOME: dataHome });
      assert.match(text.stdout, /^Caches {2}not reported by this OS/m);
    } finally {
      rmSync(dataHome, { recursive: true, force: true });
    }
  });

  test('info --measure where the OS reports no cache: sizes estimated from the ladder, labelled measured', {
    skip: hidden ?? false,
    timeout: 120_000,
  }, () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'paratop-data-'));
    try {
      const json = paratopWithoutSysfsCaches(['info', '--measure', '--json'], true, { XDG_DATA_HOME: dataHome });
      assert.equal(json.status, 0, json.stderr);
      const info = JSON.parse(json.stdout) as { caches: CacheLevel[]; latency: { steps: { name: string }[] } | null };
      assert.ok(info.caches.length >= 1, JSON.stringify(info));
      assert.ok(info.caches.every((cache) => cache.source === 'measured'));
      assert.equal(info.caches[0]?.name, 'L1d');
      assert.equal(info.latency?.steps.at(-1)?.name, 'RAM');
      // Kept: a later plain info (and the dashboard) shows them too.
      const later = paratopWithoutSysfsCaches(['info'], true, { XDG_DATA_HOME: dataHome });
      assert.match(later.stdout, /^Caches {2}L1d ~\d.*from paratop's own measurement/m);
      assert.match(later.stdout, /^Latency L1 about [\d.]+ ns up to/m);
    } finally {
      rmSync(dataHome, { recursive: true, force: true });
    }
  });

  test('the fallback (Node and ps) gives the same shape', () => {
    const result = paratop(['snapshot', '--json', '--limit', '3'], { PARATOP_SAMPLER: 'fallback' });
    assert.equal(result.status, 0, result.stderr);
    const snapshot = JSON.parse(result.stdout) as { sampler: string; cores: unknown[]; processes: unknown[] };
    assert.equal(snapshot.sampler, 'ps');
    assert.equal(snapshot.cores.length, cpus().length);
    assert.equal(snapshot.processes.length, 3);
  });

  test('a reader that goes away (| head -1) ends watch quietly with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', '--interval', '0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });
});

describe('paratop lab', () => {
  test('lab list --json: each experiment with id, key, title, kind, default workers', () => {
    const result = paratop(['lab', 'list', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const entries = JSON.parse(result.stdout) as {
      id: string;
      key: string;
      title: string;
      kind: string;
      defaultWorkers: number;
    }[];
    assert.deepEqual(
      entries.slice(0, 5).map((entry) => entry.id),
      ['one-thread', 'free-threads', 'gil-threads', 'processes', 'threads-join'],
    );
    for (const id of [
      'race',
      'race-fixed',
      'lost-results',
      'queue-results',
      'compare-runtimes',
      'sweep',
      'fork-memory',
      'grid-search',
      'threads-vs-processes',
    ]) {
      assert.ok(
        entries.some((entry) => entry.id === id),
        `${id} listed`,
      );
    }
    assert.ok(
      entries.every(
        (entry) =>
          entry.key && entry.title && ['threads', 'processes'].includes(entry.kind) && entry.defaultWorkers >= 1,
      ),
    );
    assert.equal(entries.find((entry) => entry.id === 'free-threads')?.defaultWorkers, 2);
  });

  test('lab run --json: the measured result; every worker gone afterwards', () => {
    const result = paratop(['lab', 'run', 'processes', '--workers', '2', '--seconds', '1', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const run = JSON.parse(result.stdout) as {
      workers: number;
      wallSeconds: number;
      coresUsed: number;
      stoppedBy: string;
      perWorker: { pid: number; units: number; cpuSeconds: number | null }[];
    };
    assert.equal(run.workers, 2);
    assert.equal(run.stoppedBy, 'asked');
    assert.ok(run.wallSeconds >= 0.9 && run.wallSeconds < 2);
    // This test is about the shape; that 2 processes keep 2 cores busy is measured from /proc in
    // test/lab. Here: both workers ran, on a machine that may be busy with other tests.
    assert.ok(run.coresUsed > 0.5, `cores used ${run.coresUsed}`);
    assert.equal(run.perWorker.length, 2);
    assert.ok(
      run.perWorker.every((worker) => worker.units > 0 && (worker.cpuSeconds ?? 0) > 0.1),
      JSON.stringify(run.perWorker),
    );
    assert.ok(run.perWorker.every((worker) => !isAlive(worker.pid)));
  });

  test(
    'lab run memory-hierarchy --json: the table (bytes, ns per load), the steps, and ' + 'the caches as info has them',
    () => {
      const dataHome = mkdtempSync(join(tmpdir(), 'paratop-data-'));
      try {
        const env = { XDG_DATA_HOME: dataHome };
        const result = paratop(
          ['lab', 'run', 'memory-hierarchy', '--megabytes', '16', '--seconds', '1', '--json'],
          env,
        );
        assert.equal(result.status, 0, result.stderr);
        const run = JSON.parse(result.stdout) as RunResult & {
          details: { steps: { name: string; upToBytes: number; nsPerLoad: number }[]; reported: CacheLevel[] };
        };
        assert.deepEqual(run.table?.columns.slice(0, 3), ['bytes', 'working set', 'ns per load']);
        assert.ok(
          (run.table?.rows ?? []).every((row) => Number.isInteger(row[0]) && typeof row[2] === 'number' && row[2] > 0),
        );
        assert.equal(run.table?.rows.at(-1)?.[0], 16 * 1024 * 1024);
        assert.ok(
          run.details.steps.length >= 1 && run.details.steps.every((step) => step.upToBytes > 0 && step.nsPerLoad > 0),
        );
        const info = JSON.parse(paratop(['info', '--json'], env).stdout) as {
          caches: CacheLevel[];
          latency: { steps: unknown[] } | null;
        };
        assert.deepEqual(
          run.details.reported,
          info.caches.filter((cache) => cache.source !== 'measured'),
        );
        assert.deepEqual(info.latency?.steps, run.details.steps, 'info shows the ladder just measured');
      } finally {
        rmSync(dataHome, { recursive: true, force: true });
      }
    },
  );

  const mistakes: [string[], RegExp][] = [
    [['lab', 'run', 'warp-drive'], /unknown scenario "warp-drive"\. Scenarios: one-thread, free-threads/],
    [['lab', 'run', 'processes', '--workers', '0'], /workers must be a whole number from 1 to \d+ .*got 0/],
    [['lab', 'run', 'processes', '--workers', '100000'], /workers must be a whole number from 1 to \d+ .*got 100000/],
    [['lab', 'run', 'processes', '--workers', 'many'], /argument 'many' is invalid\. It must be a whole number/],
    [['lab', 'run', 'one-thread', '--workers', '2'], /one-thread always runs 1 worker; got 2/],
    [
      ['lab', 'run', 'processes', '--seconds', '0'],
      /argument '0' is invalid\. It must be a number of seconds from 0\.1/,
    ],
    [['lab', 'run', 'processes', '--seconds', '-5'], /argument '-5' is invalid|unknown option '-5'/],
    [['lab', 'run'], /missing required argument 'id'/],
    [['lab', 'dance'], /unknown command 'dance'/],
  ];
  for (const [args, message] of mistakes) {
    test(`paratop ${args.join(' ')}: exit 2, nothing started`, async () => {
      const result = await runWatched(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      // Every process paratop starts carries the test's tag in its environment (see helpers/started.ts).
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    });
  }
});

describe('paratop lab, part two, and calc', () => {
  test('lab run race --json carries expected and actual', () => {
    const result = paratop(['lab', 'run', 'race', '--workers', '2', '--count', '200000', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const run = JSON.parse(result.stdout) as { expected: number; actual: number; stoppedBy: string };
    assert.equal(run.expected, 400_000);
    assert.ok(run.actual > 0 && run.actual <= 400_000);
    assert.equal(run.stoppedBy, 'finished');
  });

  test('compare-runtimes is kept in the XDG data directory; lab compare prints the history', () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'paratop-cli-data-'));
    try {
      const env = { XDG_DATA_HOME: dataHome };
      assert.match(paratop(['lab', 'compare'], env).stdout, /No comparisons yet/);
      const run = paratop(['lab', 'run', 'compare-runtimes', '--workers', '2', '--seconds', '0.5'], env);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /serial\s+1/);
      const history = JSON.parse(paratop(['lab', 'compare', '--json'], env).stdout) as {
        rows: { variant: string }[];
      }[];
      assert.equal(history.length, 1);
      assert.deepEqual(
        history[0]?.rows.map((row) => row.variant),
        ['serial', 'GIL-like threads', 'lock-free threads', 'processes'],
      );
      const csv = paratop(['lab', 'compare', '--csv'], env).stdout.trim().split('\n');
      assert.equal(csv[0], 'taken_at,cores,variant,workers,wall_seconds,cpu_seconds,cores_used,speedup');
      assert.equal(csv.length, 5);
    } finally {
      rmSync(dataHome, { recursive: true, force: true });
    }
  });

  test("calc: the lecture's example gives 8 cores, and what they cost", () => {
    const result = paratop([
      'calc',
      '--tasks',
      '125',
      '--task-seconds',
      '70',
      '--deadline',
      '20m',
      '--price-per-core-hour',
      '0.05',
      '--json',
    ]);
    assert.equal(result.status, 0, result.stderr);
    const estimate = JSON.parse(result.stdout) as { cores: number; cost: number };
    assert.equal(estimate.cores, 8);
    assert.ok(estimate.cost > 0);
    assert.match(paratop(['calc', '--tasks', '125', '--task-seconds', '70', '--deadline', '20m']).stdout, /8 cores/);
  });

  const mistakes: [string[], RegExp][] = [
    [
      ['calc', '--tasks', '125', '--task-seconds', '70', '--deadline', '1m'],
      /one task takes 70 s, longer than the deadline of 60 s/,
    ],
    [['calc', '--tasks', '125', '--task-seconds', '70'], /required option '--deadline <duration>' not specified/],
    [['calc', '--tasks', 'many', '--task-seconds', '70', '--deadline', '20m'], /argument 'many' is invalid/],
    [
      ['calc', '--tasks', '5', '--task-seconds', '0', '--deadline', '20m'],
      /argument '0' is invalid\. It must be a number greater than 0/,
    ],
    [
      ['calc', '--tasks', '5', '--task-seconds', '1', '--deadline', 'tomorrow'],
      /argument 'tomorrow' is invalid\. It must be a duration/,
    ],
    [
      ['lab', 'run', 'processes', '--megabytes', '10'],
      /--megabytes applies to fork-memory, py-fork-memory, memory-hierarchy, cache-sharing; not to processes/,
    ],
    [['lab', 'run', 'grid-search', '--grid', '5x0'], /argument '5x0' is invalid\. It must look like 5x5x5/],
    [['lab', 'run', 'race', '--count', '0'], /argument '0' is invalid/],
    [['lab', 'compare', '--json', '--csv'], /--json and --csv were both given/],
  ];
  for (const [args, message] of mistakes) {
    test(`paratop ${args.join(' ')}: exit 2`, () => {
      const result = paratop(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
