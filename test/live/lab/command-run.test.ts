import assert from 'node:assert/strict';
import type { RunResult } from '../../../src/model/lab-types.js';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { allGone, childrenOf, coresUsedBy } from '../../helpers/proc-measure.js';
import { isAlive, waitForExit } from '../../helpers/processes.js';
import { BIN } from '../../helpers/pty-session.js';
import { TAG_NAME, newTag, processesTagged, runWatched, untilNoneTagged } from '../../helpers/started.js';

const CORES = cpus().length;
/** "All cores" on a noisy 2-core machine: most of them. */
const MANY_CORES = Math.min(1.6, 0.8 * CORES);
const has = (program: string, args: string[]): boolean => spawnSync(program, args, { stdio: 'ignore' }).status === 0;
const HAS_PYTHON = has('python3', ['-c', 'pass']);
const HAS_GCC = has('gcc', ['--version']);
const HAS_MPIRUN = has('mpirun', ['--version']);
const folder = mkdtempSync(join(tmpdir(), 'paratop-command-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

const SPIN_THREADS = script(
  'spin_threads.py',
  `import threading, time
def spin():
    end = time.time() + 3
    while time.time() < end: pass
threads = [threading.Thread(target=spin, name=f"spin-{i}") for i in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print("threads done")
`,
);
const POOL = script(
  'pool.py',
  `import multiprocessing as mp, os, sys, time
def spin(seconds):
    end = time.time() + seconds
    n = 0
    while time.time() < end: n += 1
    return n
if __name__ == "__main__":
    workers = int(sys.argv[1]); seconds = float(sys.argv[2])
    with mp.Pool(workers) as pool: print(sum(pool.map(spin, [seconds] * workers)))
`,
);

/** What `lab exec --json` prints, as far as these tests read it. */
type ExecResult = Omit<RunResult, 'coresUsed'> & {
  coresUsed: number;
  exitCode: number | null;
  details: {
    processes: { pid: number; ppid: number; name: string; peakThreads: number }[];
    peakThreads: number;
    leftovers: number;
  };
};

interface ExecOutcome {
  status: number | null;
  result: ExecResult;
  stderr: string;
}

/** paratop lab exec --json, with a hook to look at the running tree from outside. */
async function exec(
  args: string[],
  whileRunning?: (paratop: ChildProcess) => Promise<void>,
  env: NodeJS.ProcessEnv = {},
): Promise<ExecOutcome> {
  const paratop = spawn(process.execPath, [BIN, 'lab', 'exec', '--json', '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  paratop.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  paratop.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    if (whileRunning) await whileRunning(paratop);
    await waitForExit(paratop, 60_000);
  } finally {
    paratop.kill('SIGKILL');
  }
  assert.ok(stdout.trim().startsWith('{'), `no JSON on stdout; stderr: ${stderr}`);
  return { status: paratop.exitCode, result: JSON.parse(stdout) as ExecResult, stderr };
}

/** Every process under `pid`, however deep. */
function descendantsOf(pid: number): number[] {
  const children = childrenOf(pid);
  return [...children, ...children.flatMap(descendantsOf)];
}

/** The command's processes: under paratop's keeper, which runs the command. */
async function commandPids(paratop: ChildProcess, atLeast: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  let pids: number[] = [];
  while (Date.now() < deadline) {
    const keepers = childrenOf(paratop.pid ?? 0);
    pids = keepers.flatMap(descendantsOf);
    if (pids.length >= atLeast) return pids;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pids;
}

describe('your own programs, followed and measured (lab exec)', {
  skip: process.platform !== 'linux' && 'needs Linux',
  timeout: 300_000,
}, () => {
  test('a Python script with threads spinning in pure Python: one PID, its threads, about one core', {
    skip: !HAS_PYTHON && 'python3 is not installed',
  }, async () => {
    let outside = 0;
    const { status, result, stderr } = await exec(['python3', SPIN_THREADS], async (paratop) => {
      const [python] = await commandPids(paratop, 1);
      assert.ok(python);
      outside = await coresUsedBy([python], 1.5);
    });
    assert.equal(status, 0);
    assert.match(stderr, /threads done/, "the command's output is passed on (to stderr with --json)");
    assert.equal(result.exitCode, 0);
    // One process runs the threads. A launcher such as pyenv's python3 shim runs short helper
    // processes first, which paratop rightly counts as the command's; none of them has threads.
    const threaded = (result.details.processes as { pid: number; peakThreads: number }[]).filter(
      (entry) => entry.peakThreads > 1,
    );
    assert.equal(threaded.length, 1, `processes: ${JSON.stringify(result.details.processes)}`);
    assert.ok(result.details.peakThreads >= 4, `threads seen: ${result.details.peakThreads}`);
    // About one core: the GIL lets one thread run at a time, but one does run all the time.
    assert.ok(outside >= 0.7 && outside <= 1.3, `measured from /proc: ${outside.toFixed(2)} cores`);
    assert.ok(result.coresUsed >= 0.7 && result.coresUsed <= 1.3, `paratop's figure: ${result.coresUsed}`);
    assert.ok(result.wallSeconds >= 2.9 && result.wallSeconds < 10, `wall ${result.wallSeconds}`);
  });

  test('a Python multiprocessing script: a PID per worker, all cores', {
    skip: !HAS_PYTHON && 'python3 is not installed',
  }, async () => {
    let outside = 0;
    const { status, result } = await exec(['python3', POOL, String(CORES), '3'], async (paratop) => {
      await commandPids(paratop, 1 + CORES);
      // The pool may start its workers through a helper process (forkserver): let it settle, then look again.
      await new Promise((resolve) => setTimeout(resolve, 700));
      outside = await coresUsedBy(await commandPids(paratop, 1 + CORES), 1.5);
    });
    assert.equal(status, 0);
    assert.ok(result.details.processes.length >= 1 + CORES, `processes: ${result.details.processes.length}`);
    assert.ok(outside >= MANY_CORES, `measured from /proc: ${outside.toFixed(2)} cores`);
    assert.ok(result.coresUsed >= MANY_CORES, `paratop's figure: ${result.coresUsed}`);
    assert.ok(result.coresUsed <= CORES + 0.2, `no CPU counted twice: ${result.coresUsed}`);
  });

  test('an OpenMP program compiled with gcc -fopenmp: one PID, a thread per core, all cores', {
    skip: !HAS_GCC && 'gcc is not installed',
  }, async (t) => {
    const source = script(
      'omp.c',
      `#include <omp.h>
#include <stdio.h>
int main(void) {
  double sum = 0;
  #pragma omp parallel reduction(+:sum)
  { double end = omp_get_wtime() + 3; while (omp_get_wtime() < end) sum += 1e-9; }
  printf("threads %d\\n", omp_get_max_threads());
  return 0;
}
`,
    );
    const program = join(folder, 'omp');
    const compiled = spawnSync('gcc', ['-fopenmp', '-O1', '-o', program, source], { encoding: 'utf8' });
    if (compiled.status !== 0) {
      t.skip(`gcc cannot build OpenMP here: ${compiled.stderr.trim()}`);
      return;
    }
    const { status, result, stderr } = await exec([program]);
    assert.equal(status, 0);
    assert.match(stderr, new RegExp(`threads ${CORES}`));
    assert.equal(result.details.processes.length, 1, 'OpenMP uses threads, not processes');
    assert.ok(result.details.peakThreads >= Math.min(CORES, 2), `threads seen: ${result.details.peakThreads}`);
    assert.ok(result.coresUsed >= MANY_CORES, `cores: ${result.coresUsed}`);
  });

  test('an MPI job (mpirun -np 2): its ranks as separate PIDs, about two cores', {
    skip: !HAS_MPIRUN && 'mpirun is not installed',
  }, async () => {
    const rank = script(
      'rank.sh',
      `#!/bin/sh
# One MPI rank: keep a core busy for about 4 s, looking at the clock only now and then.
end=$(( $(date +%s) + 4 ))
while [ "$(date +%s)" -lt "$end" ]; do i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; done
echo "rank done"
`,
    );
    chmodSync(rank, 0o755);
    // Open MPI refuses to run as root unless told twice; --oversubscribe allows 2 ranks on 1 core.
    const env = { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' };
    const { status, result, stderr } = await exec(['mpirun', '-np', '2', '--oversubscribe', rank], undefined, env);
    assert.equal(status, 0, stderr);
    assert.equal(result.exitCode, 0);
    assert.equal((stderr.match(/rank done/g) ?? []).length, 2, stderr);
    const processes = result.details.processes as { pid: number; ppid: number; name: string }[];
    const mpirun = processes.find((entry) => entry.name === 'mpirun');
    assert.ok(mpirun, `mpirun among ${JSON.stringify(processes)}`);
    const ranks = processes.filter((entry) => entry.name === 'rank.sh' && entry.ppid === mpirun.pid);
    assert.equal(
      new Set(ranks.map((entry) => entry.pid)).size,
      2,
      `two rank PIDs under mpirun: ${JSON.stringify(processes)}`,
    );
    assert.ok(result.coresUsed >= Math.min(1.5, 0.75 * CORES), `cores: ${result.coresUsed}`);
  });

  test("the exit code is the command's; killed by a signal gives 128 + its number", async () => {
    assert.equal((await exec(['sh', '-c', 'exit 3'])).status, 3);
    const killed = await exec(['sh', '-c', 'kill -9 $$']);
    assert.equal(killed.status, 137);
    assert.deepEqual(killed.result.exit, { code: null, signal: 'SIGKILL' });
  });

  test('processes left running in the background are stopped when the command ends', async () => {
    let sleeper = 0;
    const { result } = await exec(['sh', '-c', 'sleep 100 & echo $! ; sleep 1'], async (paratop) => {
      const pids = await commandPids(paratop, 2);
      sleeper =
        pids.find(
          (pid) =>
            spawnSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).stdout.trim() === 'sleep' && pid !== pids[0],
        ) ?? 0;
    });
    assert.ok(result.details.leftovers >= 1, `leftovers: ${result.details.leftovers}`);
    assert.ok(sleeper > 0 && (await allGone([sleeper], 3000, isAlive)), `sleep ${sleeper} still runs`);
  });

  test('Ctrl-C (SIGINT to paratop) stops the command in stages and still prints what it measured', {
    skip: !HAS_PYTHON && 'python3 is not installed',
  }, async () => {
    let pids: number[] = [];
    const { status, result } = await exec(['python3', POOL, '2', '60'], async (paratop) => {
      pids = await commandPids(paratop, 3);
      paratop.kill('SIGINT');
    });
    assert.equal(result.stoppedBy, 'asked');
    assert.ok(status !== 0);
    assert.ok(pids.length >= 3);
    assert.ok(await allGone(pids, 5000, isAlive), `left running: ${pids.filter(isAlive).join(', ')}`);
  });

  test('paratop killed with SIGKILL: its keeper ends the whole command tree', {
    skip: !HAS_PYTHON && 'python3 is not installed',
  }, async () => {
    const paratop = spawn(process.execPath, [BIN, 'lab', 'exec', '--json', '--', 'python3', POOL, '2', '60'], {
      stdio: 'ignore',
    });
    try {
      const pids = await commandPids(paratop, 3);
      assert.ok(pids.length >= 3, `python and its workers: ${pids.join(', ')}`);
      const keeper = childrenOf(paratop.pid ?? 0);
      paratop.kill('SIGKILL');
      assert.ok(
        await allGone([...keeper, ...pids], 8000, isAlive),
        `left running: ${[...keeper, ...pids].filter(isAlive).join(', ')}`,
      );
    } finally {
      paratop.kill('SIGKILL');
    }
  });

  test(
    'paratop killed with SIGKILL: a process that left the session (setsid) and was ' +
      're-parented, once seen, ends too',
    async () => {
      // A "daemon": setsid gives it a session of its own, and its parent (the subshell) ends after
      // 3 s, so it is re-parented and only paratop's list of what it followed can lead to it.
      const marker = `1001.${process.pid}`;
      const tag = newTag();
      const paratop = spawn(
        process.execPath,
        [BIN, 'lab', 'exec', '--json', '--', 'sh', '-c', `(setsid sleep ${marker} & sleep 3); sleep 302`],
        {
          stdio: 'ignore',
          env: { ...process.env, [TAG_NAME]: tag },
        },
      );
      let escaped = 0;
      try {
        const deadline = Date.now() + 15_000;
        // Wait until it is no longer under paratop (re-parented); paratop, looking once a second, has seen it by then.
        while (!(escaped > 0 && !descendantsOf(paratop.pid ?? 0).includes(escaped))) {
          assert.ok(Date.now() < deadline, 'the daemon did not leave the tree');
          await new Promise((resolve) => setTimeout(resolve, 100));
          escaped = processesTagged(tag).find((entry) => entry.command === `sleep ${marker}`)?.pid ?? 0;
        }
        paratop.kill('SIGKILL');
        assert.ok(await allGone([escaped], 8000, isAlive), `the escaped sleep ${escaped} still runs`);
        assert.deepEqual(await untilNoneTagged(tag, 3000), [], 'nothing of the command is left');
      } finally {
        paratop.kill('SIGKILL');
        if (escaped && isAlive(escaped)) process.kill(escaped, 'SIGKILL');
      }
    },
  );
});

describe('a program that prints flat out', {
  skip: process.platform !== 'linux' && 'needs Linux',
  timeout: 60_000,
}, () => {
  test(
    'the dashboard reads its output at a bounded rate: the program waits on its ' + 'writes, nothing is lost',
    async () => {
      const { LabEngine } = await import('../../../src/lab/lab-engine.js');
      const engine = new LabEngine({ cores: CORES });
      try {
        // 3 MB of output at 1 MB/s: about 3 s instead of a few milliseconds.
        await engine.startCommand(
          {
            argv: ['sh', '-c', "head -c 3000000 /dev/zero | tr '\\0' y; echo; echo end"],
            display: 'flood',
            shell: true,
          },
          { outputPerSecond: 1_000_000 },
        );
        const result = await engine.whenDone();
        assert.ok(result);
        assert.ok(result.wallSeconds >= 2, `took ${result.wallSeconds.toFixed(2)} s`);
        const output = engine.commandOutput();
        assert.equal(output?.lines.at(-1)?.text, 'end');
        assert.equal(output?.lines.at(-2)?.text.length, 2000, 'a 3 MB line is kept to its first 2,000 characters');
      } finally {
        engine.killNow();
      }
    },
  );
});

describe('starting again while a command is being stopped', {
  skip: process.platform !== 'linux' && 'needs Linux',
  timeout: 60_000,
}, () => {
  test('two starts at once: the earlier new run is stopped too, not orphaned', async () => {
    const { LabEngine } = await import('../../../src/lab/lab-engine.js');
    const engine = new LabEngine({ cores: CORES, stageMs: { ask: 400, terminate: 400, kill: 400 } });
    const stubborn = (name: string) => ({
      argv: ['sh', '-c', `trap '' INT; sleep 60; : ${name}`],
      display: name,
      shell: true,
    });
    try {
      await engine.startCommand(stubborn('first'));
      const first = engine.pids();
      // Both wait on the same stop of "first" (it ignores SIGINT, so that takes a while).
      await Promise.all([engine.startCommand(stubborn('second')), engine.startCommand(stubborn('third'))]);
      const running = engine.snapshot();
      assert.equal(running?.title, 'third');
      assert.ok(await allGone(first, 3000, isAlive), 'first stopped');
      const all = descendantsOf(process.pid).filter((pid) =>
        /second|third/.test(spawnSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' }).stdout),
      );
      assert.deepEqual(
        all.map(
          (pid) => /second|third/.exec(spawnSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' }).stdout)?.[0],
        ),
        ['third'],
        'only the last run is left',
      );
    } finally {
      await engine.stop();
      engine.killNow();
    }
  });
});

describe('commands that cannot run: a message and exit 2, nothing started', () => {
  const cases: [string[], RegExp][] = [
    [['lab', 'exec'], /missing required argument 'command'/],
    [['lab', 'exec', '--', ''], /no command given/],
    [['lab', 'exec', '--shell', '--', '   '], /no command given/],
    [['run', '--shell', '--', '   '], /no command given/],
    [['lab', 'exec', '--', 'no-such-program-xyz'], /"no-such-program-xyz" was not found on the PATH/],
    [['lab', 'exec', '--', POOL], /is not executable\. Make it so \(chmod \+x .*\), or name its interpreter: python3/],
    [['lab', 'exec', '--', folder], /is not a file/],
    [['run', '--', 'no-such-program-xyz'], /was not found on the PATH/],
    [['run'], /missing required argument 'command'/],
    [['run', '--interval', '0', '--', 'true'], /--interval/],
  ];
  for (const [args, message] of cases) {
    test(`paratop ${args.join(' ')}`, async () => {
      const result = await runWatched(args, {}, 15_000);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      if (process.platform === 'linux') assert.deepEqual(result.started, [], 'nothing was started');
    });
  }
});
