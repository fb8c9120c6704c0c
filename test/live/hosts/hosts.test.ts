import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HostRecord, HostsRecord } from '../../../src/cli/output/host-records.js';
import {
  FakeProcTree,
  NODE_EXPORTER,
  PROMETHEUS,
  Started,
  freePort,
  missing,
  untilAnswers,
} from '../../helpers/fake-hosts.js';
import { isAlive, waitForExit } from '../../helpers/processes.js';
import { BIN } from '../../helpers/pty-session.js';
import { runWatched } from '../../helpers/started.js';

/**
 * Real node_exporters, pointed at generated /proc trees of an 8-core and a 64-core host, beside
 * hosts that misbehave (down, silent, redirecting forever, an endless body), and a real Prometheus
 * scraping the two exporters. paratop must read the good ones and say in words what is wrong with
 * the others, within its timeout; and nothing may be left running.
 */
const skip = missing(NODE_EXPORTER);

describe('other hosts, scraped and through Prometheus', { skip }, () => {
  const started = new Started();
  const trees = [new FakeProcTree(8, 8_000_000), new FakeProcTree(64, 64_000_000)];
  const servers: net.Server[] = [];
  const hosts: Record<'eight' | 'sixtyFour' | 'down' | 'silent' | 'loop' | 'endless' | 'failing' | 'tls', string> = {
    eight: '',
    sixtyFour: '',
    down: '',
    silent: '',
    loop: '',
    endless: '',
    failing: '',
    tls: '',
  };
  let ticker: NodeJS.Timeout | null = null;

  async function serve(server: net.Server): Promise<string> {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    const [eight, sixtyFour] = trees;
    if (!eight || !sixtyFour) throw new Error('no trees');
    hosts.eight = `127.0.0.1:${await freePort()}`;
    hosts.sixtyFour = `127.0.0.1:${await freePort()}`;
    hosts.down = `127.0.0.1:${await freePort()}`;
    started.nodeExporter(eight, Number(hosts.eight.split(':')[1]));
    started.nodeExporter(sixtyFour, Number(hosts.sixtyFour.split(':')[1]));
    // The counters move on, so two scrapes a second apart have rates.
    ticker = setInterval(() => {
      for (const tree of trees) tree.tick();
    }, 100);
    hosts.silent = await serve(net.createServer(() => undefined));
    hosts.loop = await serve(
      http.createServer((request, response) => response.writeHead(302, { location: `${request.url}x` }).end()),
    );
    const chunk = Buffer.alloc(256 * 1024, 'node_load1 1\n');
    hosts.endless = await serve(
      http.createServer((_request, response) => {
        const more = (): void => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', more);
        };
        more();
      }),
    );
    hosts.failing = await serve(http.createServer((_request, response) => response.writeHead(500).end('oops')));
    // TLS asked of a plain-HTTP port: the handshake fails.
    hosts.tls = `https://${hosts.failing}/metrics`;
    for (const host of [hosts.eight, hosts.sixtyFour]) {
      assert.ok(await untilAnswers(`http://${host}/metrics`), `node_exporter on ${host} did not start`);
    }
  });

  after(async () => {
    if (ticker) clearInterval(ticker);
    for (const server of servers) {
      server.close();
      (server as http.Server).closeAllConnections?.();
    }
    await started.stopAll();
    for (const tree of trees) tree.remove();
    const left = started.children.filter((child) => child.pid !== undefined && isAlive(child.pid));
    assert.deepEqual(
      left.map((child) => child.pid),
      [],
      'no exporter or Prometheus left running',
    );
  });

  const byHost = (record: HostsRecord): Map<string, HostRecord> =>
    new Map(record.hosts.map((host) => [host.host, host]));

  test('snapshot --hosts: 8 and 64 cores, the fixtures memory; each bad host down with a sentence', async () => {
    const list = Object.values(hosts).join(',');
    const began = performance.now();
    const result = await runWatched(['snapshot', '--hosts', list, '--json'], {}, 20_000);
    const seconds = (performance.now() - began) / 1000;
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.started, [], 'paratop starts nothing to scrape');
    // Two rounds of at most 0.8 s each, a second apart, and node's start.
    assert.ok(seconds < 6, `took ${seconds} s`);
    const found = byHost(JSON.parse(result.stdout) as HostsRecord);
    const eight = found.get(hosts.eight);
    const sixtyFour = found.get(hosts.sixtyFour);
    assert.equal(eight?.up, true, eight?.error ?? '');
    assert.equal(eight?.cores.length, 8);
    assert.equal(sixtyFour?.cores.length, 64);
    for (const core of [...(eight?.cores ?? []), ...(sixtyFour?.cores ?? [])]) {
      assert.ok(core.total > 40 && core.total < 60, `core ${core.id} at ${core.total}%: the fixture's is 50%`);
    }
    assert.equal(eight?.memory?.totalBytes, 8_000_000 * 1024);
    assert.equal(sixtyFour?.memory?.totalBytes, 64_000_000 * 1024);
    assert.equal(sixtyFour?.memory?.availableBytes, 48_000_000 * 1024);
    assert.deepEqual(sixtyFour?.loadAverage, [16, 0.5, 0.25]);
    assert.ok((eight?.scrapeMs ?? 0) > 0);
    const expected: [string, RegExp][] = [
      [hosts.down, /refused the connection \(nothing listens on that port\)\.$/],
      [hosts.silent, /is slow: connected, but no whole answer within 0\.8 s\.$/],
      [hosts.loop, /redirected more than 5 times \(a redirect loop\)\.$/],
      [hosts.endless, /sent more than 16 MB; paratop stopped reading there\.$|is slow/],
      [hosts.failing, /answered HTTP 500 instead of metrics\.$/],
      [hosts.tls, /^TLS with .* failed: the TLS handshake failed \(is it plain http\?\)\.$/],
    ];
    for (const [host, sentence] of expected) {
      const record = found.get(host);
      assert.equal(record?.up, false, host);
      assert.match(record?.error ?? '', sentence);
      assert.ok(record?.error?.includes(host), 'the sentence names the host');
      assert.deepEqual(record?.cores, []);
    }
  });

  test('watch --hosts: an NDJSON line per interval, with hosts[]', async () => {
    const result = await runWatched(
      ['watch', '--hosts', `${hosts.eight},${hosts.down}`, '--interval', '0.5', '--count', '2'],
      {},
      20_000,
    );
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const record = JSON.parse(line) as HostsRecord;
      assert.equal(record.intervalSeconds, 0.5);
      assert.deepEqual(
        record.hosts.map((host) => [host.host, host.up, host.cores.length]),
        [
          [hosts.eight, true, 8],
          [hosts.down, false, 0],
        ],
      );
    }
  });

  test('snapshot --hosts-file: display names, comments; Ctrl-C ends watch with whole lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paratop-hosts-file-'));
    try {
      const file = join(dir, 'hosts');
      writeFileSync(file, `# the lab\n\n${hosts.eight}  Bench 8\n${hosts.down} # switched off\n`);
      const result = await runWatched(['snapshot', '--hosts-file', file, '--json'], {}, 20_000);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(
        (JSON.parse(result.stdout) as HostsRecord).hosts.map((host) => [host.name, host.up]),
        [
          ['Bench 8', true],
          [hosts.down, false],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const watch = spawn(process.execPath, [BIN, 'watch', '--hosts', hosts.eight, '--interval', '0.2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    watch.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    while (out.split('\n').length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    watch.kill('SIGINT');
    assert.equal(await waitForExit(watch, 5000), 0);
    for (const line of out.trim().split('\n')) assert.equal((JSON.parse(line) as HostsRecord).hosts.length, 1);
  });

  test('snapshot --prometheus: a real Prometheus scraping both exporters gives both hosts', {
    skip: missing(PROMETHEUS),
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paratop-prometheus-'));
    try {
      const port = await freePort();
      started.prometheus([hosts.eight, hosts.sixtyFour], port, dir);
      const url = `http://127.0.0.1:${port}`;
      assert.ok(await untilAnswers(`${url}/-/ready`, 20_000), 'Prometheus did not get ready');
      let record: HostsRecord | null = null;
      const deadline = Date.now() + 25_000;
      // irate needs two samples of each series: a second or two of scrapes after Prometheus is ready.
      while (Date.now() < deadline) {
        const result = await runWatched(
          ['snapshot', '--prometheus', url, '--prometheus-selector', '{job="lab"}', '--interval', '0.5', '--json'],
          {},
          20_000,
        );
        assert.equal(result.status, 0, result.stderr);
        record = JSON.parse(result.stdout) as HostsRecord;
        if (record.hosts.length === 2 && record.hosts.every((host) => host.cores.length > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const found = byHost(record ?? { takenAt: '', intervalSeconds: 0, hosts: [] });
      assert.equal(found.get(hosts.eight)?.cores.length, 8, JSON.stringify(record));
      assert.equal(found.get(hosts.sixtyFour)?.cores.length, 64);
      assert.equal(found.get(hosts.sixtyFour)?.memory?.totalBytes, 64_000_000 * 1024);
      assert.deepEqual(found.get(hosts.eight)?.loadAverage, [2, 0.5, 0.25]);
      for (const core of found.get(hosts.sixtyFour)?.cores ?? []) {
        assert.ok(core.total > 30 && core.total < 70, `core ${core.id} at ${core.total}%`);
        assert.equal(core.user, null, 'Prometheus gives the busy share only');
      }

      const bad = await runWatched(['snapshot', '--prometheus', url, '--prometheus-selector', '{job=~"("}', '--json']);
      assert.equal(bad.status, 0, bad.stderr);
      const [prometheus] = (JSON.parse(bad.stdout) as HostsRecord).hosts;
      assert.equal(prometheus?.up, false);
      assert.match(
        prometheus?.error ?? '',
        /^Prometheus at http:\/\/127\.0\.0\.1:\d+\/ rejected the query \(bad_data: /,
      );
    } finally {
      await started.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
