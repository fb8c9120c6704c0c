import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { fixturesDir } from '../helpers/fixtures.js';
import { isAlive } from '../helpers/processes.js';
import { PtySession } from '../helpers/pty-session.js';

const TABLE_HEADER = /PID USER +CPU%/;

/**
 * The dashboard with a FAKE nvidia-smi first on the PATH (test/fixtures/gpu/fake-nvidia-smi, which
 * replays captured CSV): its GPU meter and columns, and its children ended with it. No GPU involved.
 */
describe('GPUs in the dashboard (a fake nvidia-smi)', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'paratop-e2e-gpu-'));
  const log = join(dir, 'starts.log');
  symlinkSync(join(fixturesDir, 'gpu/fake-nvidia-smi'), join(dir, 'nvidia-smi'));
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => rmSync(dir, { recursive: true, force: true }));

  const starts = (): number[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => Number(line.split(' ')[0]))
      : [];

  test('a GPU meter and GPU%/GMEM columns; q ends the three nvidia-smi children', async () => {
    session = new PtySession({
      cols: 120,
      rows: 30,
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        FAKE_SMI_LOG: log,
        FAKE_SMI_GPU_CSV: join(fixturesDir, 'gpu/nvidia-smi/two-gpus-one-lost.csv'),
        FAKE_SMI_APPS_CSV: join(fixturesDir, 'gpu/nvidia-smi/apps-stream.csv'),
        FAKE_SMI_PMON_TXT: join(fixturesDir, 'gpu/nvidia-smi/pmon-stream.txt'),
      },
    });
    await session.waitFor(TABLE_HEADER);
    const screen = await session.waitFor(/GPU1 lost: fell off the bus/);
    assert.match(screen, /GPU0\[\|+100\.0%\]/);
    assert.match(screen, /GPU% +GMEM COMMAND/);
    const children = starts();
    assert.equal(children.length, 3, 'one child per query');
    session.press('q');
    assert.equal((await session.waitForExit()).exitCode, 0);
    const until = Date.now() + 3000;
    while (children.some(isAlive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      children.filter(isAlive).map((pid) => readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')[2]),
      [],
      'no nvidia-smi outlives paratop',
    );
  });

  test('no GPU: no meter, no GPU columns, nothing started', async () => {
    session = new PtySession({ cols: 120, rows: 30, env: { PARATOP_GPU: 'off' } });
    const screen = await session.waitFor(TABLE_HEADER);
    assert.ok(!screen.split('\n').some((line) => /^GPU\d/.test(line)), screen);
    assert.doesNotMatch(screen.split('\n').find((line) => TABLE_HEADER.test(line)) ?? '', /GPU%|GMEM/);
    session.press('q');
    assert.equal((await session.waitForExit()).exitCode, 0);
  });
});
