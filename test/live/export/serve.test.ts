import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { type Served, get, noPromtool, promtoolProblems, startServe } from '../../helpers/exporter.js';
import { processCpuSeconds } from '../../helpers/proc-measure.js';
import { BIN } from '../../helpers/pty-session.js';
import { waitForExit } from '../../helpers/processes.js';
import { newTag, untilNoneTagged } from '../../helpers/started.js';

/** Past serve's freshness window (50 ms) and its start-up reading: a scrape then reads the processes afresh. */
const STALE_AFTER_MS = 300;
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('paratop serve, a real process on a loopback port', { timeout: 120_000 }, () => {
  const tag = newTag();
  const folder = mkdtempSync(join(tmpdir(), 'paratop-serve-'));
  const running: Served[] = [];
  const serve = async (args: string[] = []): Promise<Served> => {
    const served = await startServe(args, tag);
    running.push(served);
    return served;
  };
  const stop = async (served: Served): Promise<void> => {
    served.child.kill('SIGTERM');
    assert.equal(await waitForExit(served.child), 0, 'SIGTERM ends serve with exit 0');
  };
  after(async () => {
    for (const served of running) if (served.child.exitCode === null) served.child.kill('SIGKILL');
    assert.deepEqual(await untilNoneTagged(tag), [], 'nothing serve started is left');
    rmSync(folder, { recursive: true, force: true });
  });

  test('GET /metrics: the text format, node_exporter names, and promtool accepts it', {
    skip: noPromtool(),
  }, async () => {
    const served = await serve();
    const reply = await get(served.url);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(reply.body, /^node_cpu_seconds_total\{cpu="0",mode="user"\} [\d.e+]+$/m);
    assert.match(reply.body, /^node_memory_MemAvailable_bytes \d+$/m);
    assert.match(reply.body, /^node_load1 [\d.]+$/m);
    assert.match(reply.body, /^node_boot_time_seconds \d+$/m);
    assert.match(
      reply.body,
      new RegExp(`^paratop_process_cpu_seconds_total\\{pid="${served.child.pid}",comm="node"`, 'm'),
    );
    assert.doesNotMatch(reply.body, /cmdline=/, 'command lines only with --export-cmdline');
    assert.deepEqual(promtoolProblems(reply.body), []);
    await stop(served);
  });

  test('OpenMetrics when asked; / is a landing page; other paths 404', async () => {
    const served = await serve(['--export-cmdline']);
    const open = await get(served.url, { Accept: OPENMETRICS });
    assert.equal(open.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.match(open.body, /^# TYPE node_cpu_seconds counter$/m);
    assert.ok(open.body.endsWith('# EOF\n'));
    assert.match(open.body, /cmdline="[^"]*serve/, '--export-cmdline adds them');
    const landing = await get(served.url.replace(/metrics$/, ''));
    assert.equal(landing.status, 200);
    assert.match(landing.body, /\/metrics/);
    assert.equal((await get(served.url.replace(/metrics$/, 'nope'))).status, 404);
    await stop(served);
  });

  test('a process name with quotes, backslashes, a line feed and an escape sequence passes promtool', {
    skip: noPromtool(),
  }, async () => {
    const served = await serve(['--export-processes', '100000']);
    const name = 'x"y\\z\n\u001b[1m';
    // A thread may name itself; the main thread's name is the process's comm. It asks once serve's
    // start-up reading (from before it was named) has gone stale.
    const named = spawnSync(
      process.execPath,
      [
        '-e',
        `require('fs').writeFileSync('/proc/self/comm', ${JSON.stringify(name)});
         const http = require('http');
         setTimeout(() => http.get(${JSON.stringify(served.url)}, (r) => { let b = ''; r.on('data', (d) => (b += d));
           r.on('end', () => process.stdout.write(b)); }), ${STALE_AFTER_MS});`,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(named.status, 0, named.stderr);
    assert.match(named.stdout, /comm="x\\"y\\\\z\\n\u001b\[1m"/, 'the name, escaped as the format says');
    assert.deepEqual(promtoolProblems(named.stdout), []);
    await stop(served);
  });

  test('basic auth from a bcrypt hash: the right password in, a wrong one and none out', async () => {
    const config = join(folder, 'auth.yml');
    writeFileSync(config, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('s3cret', 4)}'\n`);
    const served = await serve(['--web-config', config]);
    const basic = (user: string, password: string): Record<string, string> => ({
      Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    assert.equal((await get(served.url, basic('prometheus', 's3cret'))).status, 200);
    const wrong = await get(served.url, basic('prometheus', 'guess'));
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.headers['www-authenticate']), /^Basic/);
    assert.equal((await get(served.url, basic('someone', 's3cret'))).status, 401);
    assert.equal((await get(served.url)).status, 401);
    await stop(served);
  });

  test('TLS with a self-signed certificate, its paths relative to the web-config file', {
    skip: spawnSync('openssl', ['version']).error ? 'openssl is missing (Debian package openssl)' : false,
  }, async () => {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1'].concat([
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { cwd: folder, encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    const config = join(folder, 'tls.yml');
    writeFileSync(config, 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n');
    const served = await serve(['--web-config', config]);
    assert.match(served.url, /^https:/);
    const reply = await get(served.url, {}, readFileSync(join(folder, 'cert.pem')));
    assert.equal(reply.status, 200);
    assert.match(reply.body, /^node_load1 /m);
    await assert.rejects(get(served.url.replace(/^https/, 'http')), 'plain HTTP gets no answer it can read');
    await stop(served);
  });

  test("paratop's own --hosts reads serve: cores with rates from two scrapes, memory, processes", async () => {
    const served = await serve();
    const host = new URL(served.url).host;
    const snapshot = spawnSync(process.execPath, [BIN, 'snapshot', '--hosts', host, '--json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(snapshot.status, 0, snapshot.stderr);
    interface HostRecord {
      up: boolean;
      cores: unknown[];
      memory: { totalBytes: number } | null;
      processes: unknown[] | null;
    }
    const [reading] = (JSON.parse(snapshot.stdout) as { hosts: HostRecord[] }).hosts;
    assert.ok(reading?.up, JSON.stringify(reading));
    assert.equal(reading.cores.length, cpus().length, 'a CPU rate per core: two scrapes, two readings');
    assert.ok((reading.memory?.totalBytes ?? 0) > 0);
    assert.ok((reading.processes?.length ?? 0) > 0);
    await stop(served);
  });

  test('nobody scraping costs nothing: serve samples only when asked', async () => {
    const served = await serve();
    const pid = served.child.pid ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = processCpuSeconds(pid) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = (processCpuSeconds(pid) ?? 0) - before;
    // Generous: a clock tick or two of V8's own housekeeping, nothing like a scan of /proc per second.
    assert.ok(idle <= 0.05, `serve used ${idle} s of CPU in 3 s with nobody scraping`);
    await stop(served);
  });
});
