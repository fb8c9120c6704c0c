import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { freePort, get } from '../helpers/exporter.js';
import { PtySession } from '../helpers/pty-session.js';
import { TAG_NAME, newTag, untilNoneTagged } from '../helpers/started.js';
import { waitForWorkloads } from '../helpers/workloads.js';

const TABLE_HEADER = /PID USER +CPU%/;

/** The value of the first sample of `name` (with `labels` in its label set, as text), or null. */
function sample(body: string, name: string, labels = ''): number | null {
  const line = body.split('\n').find((text) => text.startsWith(name) && text.includes(labels) && !text.startsWith('#'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

describe("the dashboard's --export", { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test("serves the dashboard's own readings and the lab's run, and closes on q", async () => {
    const port = await freePort();
    const tag = newTag();
    const paratop = new PtySession({
      args: ['--export', `127.0.0.1:${port}`, '--interval', '1', '--process-interval', '1'],
      cols: 120,
      rows: 40,
      env: { [TAG_NAME]: tag },
    });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    const url = `http://127.0.0.1:${port}/metrics`;
    const first = await get(url);
    assert.equal(first.status, 200);
    assert.ok((sample(first.body, 'node_cpu_seconds_total') ?? -1) >= 0);
    // The dashboard reads every second; the scrape takes that reading rather than one of its own.
    assert.ok((sample(first.body, 'paratop_sample_age_seconds', 'part="processes"') ?? 99) <= 1.5);
    assert.equal(sample(first.body, 'paratop_lab_running'), 0);

    paratop.press('4');
    const [worker] = await waitForWorkloads(paratop.pid, 2);
    let during = '';
    for (let tries = 0; tries < 40 && !/paratop_lab_thread_cpu_seconds_total\{/.test(during); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      during = (await get(url)).body;
    }
    assert.equal(sample(during, 'paratop_lab_running'), 1);
    assert.match(during, /^paratop_lab_run_info\{experiment="processes"/m);
    assert.match(
      during,
      new RegExp(`^paratop_process_cpu_seconds_total\\{pid="${worker}"`, 'm'),
      'every worker is exported',
    );

    paratop.press('q');
    assert.equal((await paratop.waitForExit(15_000)).exitCode, 0);
    await assert.rejects(get(url), 'the port is closed with the dashboard');
    assert.deepEqual(await untilNoneTagged(tag), [], 'nothing is left');
  });

  test('a port in use stops the dashboard before its screen opens, with exit 2', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const paratop = new PtySession({ args: ['--export', `127.0.0.1:${port}`] });
      session = paratop;
      const status = await paratop.waitForExit(15_000);
      assert.equal(status.exitCode, 2);
      assert.match(paratop.screen(), new RegExp(`--export: 127\\.0\\.0\\.1:${port} is already in use`));
    } finally {
      holder.close();
    }
  });
});
