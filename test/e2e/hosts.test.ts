import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeProcTree, NODE_EXPORTER, Started, freePort, missing, untilAnswers } from '../helpers/fake-hosts.js';
import { isAlive } from '../helpers/processes.js';
import { KEYS, PtySession } from '../helpers/pty-session.js';

/**
 * The dashboard watching other hosts: real node_exporters standing for an 8-core and a 64-core
 * host (generated /proc trees), and a port nobody answers on. w shows them, Enter one in full.
 */
describe('the hosts view in a pseudo-terminal', { skip: missing(NODE_EXPORTER), timeout: 120_000 }, () => {
  const started = new Started();
  const trees = [new FakeProcTree(8, 8_000_000, 0.75), new FakeProcTree(64, 64_000_000, 0.25)];
  const hosts: string[] = [];
  let ticker: NodeJS.Timeout | null = null;
  let session: PtySession | undefined;

  before(async () => {
    for (const tree of trees) {
      const port = await freePort();
      started.nodeExporter(tree, port);
      hosts.push(`127.0.0.1:${port}`);
      assert.ok(await untilAnswers(`http://127.0.0.1:${port}/metrics`), 'node_exporter answers');
    }
    hosts.push(`127.0.0.1:${await freePort()}`);
    ticker = setInterval(() => {
      for (const tree of trees) tree.tick();
    }, 100);
  });

  after(async () => {
    session?.dispose();
    if (ticker) clearInterval(ticker);
    await started.stopAll();
    for (const tree of trees) tree.remove();
    for (const child of started.children) assert.equal(isAlive(child.pid ?? 0), false, 'no exporter left');
  });

  test('w lists the hosts busiest first with the down one saying why; Enter shows 64 cores; q exits 0', async () => {
    const [eight = '', sixtyFour = '', down = ''] = hosts;
    session = new PtySession({ args: ['--hosts', hosts.join(','), '--process-interval', '1'], cols: 140, rows: 40 });
    await session.waitFor(/PID USER +CPU%/);
    await session.waitFor(/wHosts/);
    session.press('w');
    const list = await session.waitFor(/3 hosts: 2 up, 1 down/, 15_000);
    assert.match(list, /HOST +STATE +SCRAPE/);
    const busiest = await session.waitUntil(
      (screen) => /127\.0\.0\.1:\d+ +up .* 75\.0 /.test(screen),
      'the 8-core host at 75% once it has two readings',
      15_000,
    );
    const rows = busiest.split('\n');
    const row = (host: string): number => rows.findIndex((line) => line.startsWith(host));
    assert.ok(row(eight) < row(sixtyFour) && row(sixtyFour) < row(down), busiest);
    assert.match(rows[row(down)] ?? '', /down +.*refused/);
    // The cursor starts on the busiest; down once is the 64-core host.
    session.press(KEYS.down);
    session.press(KEYS.enter);
    const detail = await session.waitFor(/HOST DETAIL/);
    assert.match(detail, new RegExp(`${sixtyFour.replaceAll('.', '\\.')} · up, scraped in \\d+ ms · 64 cores`));
    assert.match(detail, /63 \[/, 'a meter for its last core');
    assert.match(detail, /No processes from this source/);
    session.press(KEYS.escape);
    await session.waitFor(/3 hosts: 2 up, 1 down/);
    session.press('q');
    assert.equal((await session.waitForExit()).exitCode, 0);
  });
});
