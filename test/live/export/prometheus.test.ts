import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type Served, freePort, get, startServe } from '../../helpers/exporter.js';
import { isAlive, waitForExit } from '../../helpers/processes.js';
import { newTag, untilNoneTagged } from '../../helpers/started.js';

const noPrometheus = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).error
  ? 'prometheus is missing (Debian package prometheus)'
  : false;

/** One instant query of Prometheus's HTTP API: the samples' values, by their labels as JSON. */
async function query(base: string, promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const reply = await get(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  if (reply.status !== 200) return [];
  const data = JSON.parse(reply.body) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return data.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
}

describe('a real Prometheus scrapes paratop serve', { skip: noPrometheus, timeout: 120_000 }, () => {
  const tag = newTag();
  const folder = mkdtempSync(join(tmpdir(), 'paratop-prometheus-'));
  let served: Served | undefined;
  let prometheus: ChildProcess | undefined;
  after(async () => {
    if (prometheus?.exitCode === null) prometheus.kill('SIGKILL');
    if (served?.child.exitCode === null) served.child.kill('SIGKILL');
    assert.deepEqual(await untilNoneTagged(tag), [], 'nothing is left');
    rmSync(folder, { recursive: true, force: true });
  });

  test('up{job="paratop"} is 1, and node_cpu_seconds_total has series', async () => {
    served = await startServe([], tag);
    const target = new URL(served.url).host;
    const port = await freePort();
    writeFileSync(
      join(folder, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: paratop\n` +
        `    static_configs:\n      - targets: ['${target}']\n`,
    );
    let log = '';
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PARATOP_TEST_TAG: tag } },
    );
    prometheus.stderr?.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-4000)));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let up: number | undefined;
    let cpuSeries = 0;
    while (Date.now() < deadline && !(up === 1 && cpuSeries > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      up = (await query(base, 'up{job="paratop"}').catch(() => []))[0]?.value;
      cpuSeries = (await query(base, 'node_cpu_seconds_total{job="paratop"}').catch(() => [])).length;
    }
    assert.equal(up, 1, `Prometheus's log:\n${log}`);
    assert.ok(cpuSeries >= 8, `${cpuSeries} node_cpu_seconds_total series`);
    const processes = await query(base, 'paratop_process_cpu_seconds_total{job="paratop"}');
    assert.ok(
      processes.some((sample) => sample.metric.pid === String(served?.child.pid)),
      'serve sees itself',
    );

    prometheus.kill('SIGTERM');
    await waitForExit(prometheus, 20_000);
    served.child.kill('SIGTERM');
    assert.equal(await waitForExit(served.child), 0);
    assert.equal(isAlive(prometheus.pid ?? 0), false);
  });
});
