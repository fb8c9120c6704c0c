import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isWantedMetric } from '../../../src/hosts/metric-names.js';
import { MetricsFormatError, parsePrometheusText } from '../../../src/hosts/prometheus-text.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const real = readFileSync(join(fixturesDir, 'hosts/node-exporter-real.prom'), 'utf8');
const all = (): boolean => true;

test('a real node_exporter body: only the wanted series, with their labels', () => {
  const series = parsePrometheusText(real, isWantedMetric);
  const cpu = series.filter((one) => one.name === 'node_cpu_seconds_total');
  assert.equal(cpu.length, 16, '2 cores x 8 modes');
  assert.deepEqual({ ...cpu[0]?.labels }, { cpu: '0', mode: 'idle' });
  assert.equal(cpu[0]?.value, 6305.32);
  assert.equal(series.find((one) => one.name === 'node_memory_MemTotal_bytes')?.value, 25276182528);
  assert.ok(series.every((one) => isWantedMetric(one.name)));
});

test('every line of the real body parses when all are wanted', () => {
  const series = parsePrometheusText(real, all);
  assert.ok(series.length > 400, `${series.length}`);
});

test('escapes, special values, timestamps, CRLF and # EOF', () => {
  const body =
    '# HELP x a "help"\r\n# TYPE x gauge\r\n' +
    'x{path="C:\\\\DIR\\\\F.TXT",msg="say \\"hi\\"\\nbye"} 1.5e3 1395066363000\r\n' +
    'y NaN\ny{a="1"} +Inf\ny{a="2"} -Inf\nz{} 7\n# EOF\n';
  const series = parsePrometheusText(body, all);
  assert.deepEqual({ ...series[0]?.labels }, { path: 'C:\\DIR\\F.TXT', msg: 'say "hi"\nbye' });
  assert.equal(series[0]?.value, 1500);
  assert.ok(Number.isNaN(series[1]?.value));
  assert.equal(series[2]?.value, Number.POSITIVE_INFINITY);
  assert.equal(series[3]?.value, Number.NEGATIVE_INFINITY);
  assert.equal(series[4]?.value, 7);
});

test('a wanted line that is not well formed is an error naming the line', () => {
  for (const bad of [
    'node_load1',
    'node_load1 abc',
    'node_load1 1 2 3',
    'node_load1{a="1" 2',
    'node_load1{a=1} 2',
    'node_load1{a="1",a="2"} 2',
    'node_load1{a="\\q"} 2',
    'node_load1{a="unterminated} 2',
  ]) {
    assert.throws(
      () => parsePrometheusText(`# TYPE node_load1 gauge\n${bad}\n`, isWantedMetric),
      (error: unknown) => error instanceof MetricsFormatError && /line 2/.test(error.message),
      bad,
    );
  }
});

test('a line that does not start with a metric name is an error; other metrics are skipped unparsed', () => {
  assert.throws(() => parsePrometheusText('<html>\n', isWantedMetric), MetricsFormatError);
  assert.throws(() => parsePrometheusText('node_load1\u001b[2J 1\n', isWantedMetric), MetricsFormatError);
  const series = parsePrometheusText('other{broken 1\nnode_load1 2\n', isWantedMetric);
  assert.deepEqual(
    series.map((one) => ({ ...one, labels: { ...one.labels } })),
    [{ name: 'node_load1', labels: {}, value: 2 }],
  );
});

test('a label set far larger than any exporter sends is refused', () => {
  const labels = Array.from({ length: 100 }, (_, index) => `l${index}="v"`).join(',');
  assert.throws(() => parsePrometheusText(`node_load1{${labels}} 1\n`, isWantedMetric), MetricsFormatError);
});
