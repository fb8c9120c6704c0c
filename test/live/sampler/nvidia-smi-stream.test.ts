import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGpuSource, detectGpus } from '../../../src/sampler/create-gpu-source.js';
import { NvidiaSmiSource } from '../../../src/sampler/linux/nvidia-smi-source.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { isAlive } from '../../helpers/processes.js';
import { BIN } from '../../helpers/pty-session.js';

/**
 * The streaming child, against a FAKE nvidia-smi (test/fixtures/gpu/fake-nvidia-smi) put first on
 * the PATH: it replays captured CSV and logs each start. No GPU is involved.
 */
const fake = join(fixturesDir, 'gpu/fake-nvidia-smi');
const csv = (name: string): string => join(fixturesDir, 'gpu/nvidia-smi', name);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function gone(pids: readonly number[], withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (pids.every((pid) => !isAlive(pid))) return true;
    await sleep(50);
  }
  return pids.every((pid) => !isAlive(pid));
}

describe('nvidia-smi as one long-lived child per query (a fake on the PATH)', () => {
  let dir: string;
  let log: string;
  const starts = (): { pid: number; args: string }[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => ({ pid: Number(line.split(' ')[0]), args: line.slice(line.indexOf(' ') + 1) }))
      : [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'paratop-smi-'));
    symlinkSync(fake, join(dir, 'nvidia-smi'));
    log = join(dir, 'starts.log');
    process.env.FAKE_SMI_LOG = log;
    process.env.FAKE_SMI_GPU_CSV = csv('h100-stream.csv');
    process.env.FAKE_SMI_APPS_CSV = csv('apps-stream.csv');
    process.env.FAKE_SMI_PMON_TXT = csv('pmon-stream.txt');
  });
  after(() => {
    for (const { pid } of starts()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const key of [
      'FAKE_SMI_LOG',
      'FAKE_SMI_GPU_CSV',
      'FAKE_SMI_APPS_CSV',
      'FAKE_SMI_PMON_TXT',
      'FAKE_SMI_DIE_AFTER',
    ])
      delete process.env[key];
    rmSync(dir, { recursive: true, force: true });
  });

  test('found on the PATH, started once per query, read as a stream, ended by close', async () => {
    rmSync(log, { force: true });
    const detection = detectGpus({ PATH: `${dir}:/usr/bin:/bin` }, '/nonexistent-sys');
    assert.equal(detection.nvidiaSmi, join(dir, 'nvidia-smi'));
    const source = await createGpuSource(detection, { loopMs: 200 });
    assert.equal(source.kind, 'nvidia-smi');
    assert.deepEqual(starts(), [], 'nothing starts before start()');
    source.start();
    source.start();
    await source.ready(5000);
    await sleep(1200);
    const [gpu] = source.sampleGpus();
    assert.equal(gpu?.name, 'NVIDIA H100 80GB HBM3');
    const use = source.sampleProcessUse([11327, 11345, 999]);
    assert.deepEqual([...use.keys()].sort(), [11327, 11345]);
    // pmon's first loop (98% on GPU 0) or its second (97% + 12% on two GPUs), beside the memory.
    assert.ok([98, 109].includes(use.get(11345)?.gpuPercent ?? -1), JSON.stringify(use.get(11345)));
    assert.ok((use.get(11345)?.gpuMemoryBytes ?? 0) > 0);
    const launched = starts();
    // Six loops went by: still one child per query, none started per refresh.
    assert.equal(launched.length, 3, JSON.stringify(launched));
    assert.ok(launched.some((start) => start.args.startsWith('--query-gpu=') && start.args.includes('-lms 200')));
    assert.ok(launched.some((start) => start.args.startsWith('--query-compute-apps=')));
    assert.ok(launched.some((start) => start.args === 'pmon -s u -d 1'));
    source.close();
    assert.ok(
      await gone(
        launched.map((start) => start.pid),
        3000,
      ),
      'every child ended with close()',
    );
  });

  test('a child that dies is started again, but never more often than the restart gap', async () => {
    rmSync(log, { force: true });
    process.env.FAKE_SMI_DIE_AFTER = '1';
    const source = new NvidiaSmiSource({
      command: join(dir, 'nvidia-smi'),
      loopMs: 100,
      restart: { minGapMs: 800, maxGapMs: 800, healthyMs: 60_000 },
    });
    try {
      source.start();
      await sleep(2600);
      const gpuStarts = starts().filter((start) => start.args.startsWith('--query-gpu='));
      // It dies at once each time: started at 0, 0.8, 1.6, 2.4 s at most.
      assert.ok(gpuStarts.length >= 2, `restarted: ${gpuStarts.length} starts`);
      assert.ok(gpuStarts.length <= 4, `rate-limited: ${gpuStarts.length} starts in 2.6 s`);
      assert.match(source.lastExitReason ?? '', /exit code 3/);
    } finally {
      source.close();
      delete process.env.FAKE_SMI_DIE_AFTER;
    }
    const count = starts().length;
    await sleep(1000);
    assert.equal(starts().length, count, 'no restart after close()');
    assert.ok(
      await gone(
        starts().map((start) => start.pid),
        3000,
      ),
    );
  });

  test('snapshot --json through the bin: the GPU, and a real process with its GPU% and memory', async () => {
    rmSync(log, { force: true });
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = sleeper.pid ?? 0;
      const apps = join(dir, 'apps-of-sleeper.csv');
      writeFileSync(apps, `2026/07/14 08:12:53.500, GPU-00000000-0000-0000-0000-000000000000, ${pid}, 2048\n`);
      const pmon = join(dir, 'pmon-of-sleeper.txt');
      writeFileSync(pmon, `# gpu pid type sm mem enc dec command\n    0 ${pid} C 42 10 - - sleep\n`);
      const run = spawnSync(process.execPath, [BIN, 'snapshot', '--json'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH ?? ''}`,
          FAKE_SMI_APPS_CSV: apps,
          FAKE_SMI_PMON_TXT: pmon,
        },
        timeout: 30_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const snapshot = JSON.parse(run.stdout) as {
        gpus: { name: string }[];
        processes: { pid: number; gpuPercent: number | null; gpuMemoryBytes: number | null }[];
      };
      assert.equal(snapshot.gpus[0]?.name, 'NVIDIA H100 80GB HBM3');
      const row = snapshot.processes.find((process) => process.pid === pid);
      assert.deepEqual(row && [row.gpuPercent, row.gpuMemoryBytes], [42, 2048 * 1024 * 1024]);
    } finally {
      sleeper.kill('SIGKILL');
    }
    assert.equal(starts().length, 3, 'one child per query');
    assert.ok(
      await gone(
        starts().map((start) => start.pid),
        3000,
      ),
      'no nvidia-smi outlives the snapshot',
    );
  });

  test('paratop killed with SIGKILL: the children end, the silent one too (an idle GPU has no apps)', async () => {
    rmSync(log, { force: true });
    // No compute process: the apps query prints nothing, as on an idle GPU, so no write can fail.
    const silent = join(dir, 'no-apps.csv');
    writeFileSync(silent, '');
    process.env.FAKE_SMI_APPS_CSV = silent;
    const module = JSON.stringify(join(process.cwd(), 'src/sampler/linux/nvidia-smi-source.ts'));
    const script = [
      `import { NvidiaSmiSource } from ${module};`,
      `new NvidiaSmiSource({ command: ${JSON.stringify(join(dir, 'nvidia-smi'))}, loopMs: 100 }).start();`,
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    const until = Date.now() + 10_000;
    while (starts().length < 3 && Date.now() < until) await sleep(50);
    const children = starts().map((start) => start.pid);
    assert.equal(children.length, 3);
    process.env.FAKE_SMI_APPS_CSV = csv('apps-stream.csv');
    await sleep(300);
    parent.kill('SIGKILL');
    assert.ok(await gone(children, 3000), 'no nvidia-smi outlives its paratop');
  });
});
