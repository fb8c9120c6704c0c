import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostQueries, queryAnswer, readingsFromAnswers } from '../../../src/hosts/prometheus-queries.js';

const vector = (result: { metric: Record<string, string>; value: string }[]): string =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: result.map((one) => ({ metric: one.metric, value: [1, one.value] })) },
  });

test('the queries carry the selector beside paratop own matchers', () => {
  const queries = hostQueries('job="lab"');
  assert.equal(queries.up, 'up{job="lab"}');
  assert.equal(
    queries.busy,
    'sum by (instance, cpu) (irate(node_cpu_seconds_total{mode!~"idle|iowait",job="lab"}[1m]))',
  );
  assert.match(queries.memory, /^\{__name__=~"node_memory_\(MemTotal\|.*\)_bytes",job="lab"\}$/);
  assert.equal(hostQueries('').load, '{__name__=~"node_load1|node_load5|node_load15"}');
});

test('a query error becomes a plain sentence, its text made inert', () => {
  const body = JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error\u001b[2J at char 5' });
  assert.deepEqual(queryAnswer(400, body), { error: 'rejected the query (bad_data: parse error[2J at char 5)' });
  assert.deepEqual(queryAnswer(502, '<html>Bad gateway</html>'), {
    error: "answered HTTP 502 with something that is not Prometheus's JSON",
  });
  assert.deepEqual(
    queryAnswer(200, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })),
    {
      error: 'answered with a result that is not an instant vector',
    },
  );
});

test('one host per instance: busy share per core, memory, load; a down target says so', () => {
  const answers = {
    up: [
      { metric: { instance: 'a:9100', job: 'lab' }, value: 1 },
      { metric: { instance: 'b:9100', job: 'lab' }, value: 0 },
      { metric: { instance: 'localhost:9090', job: 'prometheus' }, value: 1 },
    ],
    busy: [
      { metric: { instance: 'a:9100', cpu: '1' }, value: 0.25 },
      { metric: { instance: 'a:9100', cpu: '0' }, value: 1.0000001 },
    ],
    memory: [
      { metric: { __name__: 'node_memory_MemTotal_bytes', instance: 'a:9100' }, value: 1000 },
      { metric: { __name__: 'node_memory_MemFree_bytes', instance: 'a:9100' }, value: 400 },
    ],
    load: [
      { metric: { __name__: 'node_load1', instance: 'a:9100' }, value: 1 },
      { metric: { __name__: 'node_load5', instance: 'a:9100' }, value: 0.5 },
      { metric: { __name__: 'node_load15', instance: 'a:9100' }, value: 0.25 },
    ],
  };
  const readings = readingsFromAnswers(answers, 5, 12);
  assert.deepEqual(
    readings.map((reading) => [reading.host, reading.up, reading.error]),
    [
      ['a:9100', true, null],
      ['b:9100', false, "Prometheus's last scrape of b:9100 failed (up is 0)."],
    ],
    'Prometheus itself, with no node series, is no host',
  );
  const a = readings[0]?.figures;
  assert.deepEqual(
    a?.cores.map((core) => [core.id, core.total, core.user]),
    [
      [0, 100, null],
      [1, 25, null],
    ],
  );
  assert.equal(a?.memory?.usedBytes, 600);
  assert.deepEqual(a?.loadAverage, [1, 0.5, 0.25]);
});

test('answers parse from the API JSON', () => {
  const parsed = queryAnswer(
    200,
    vector([
      { metric: { instance: 'a' }, value: '0.5' },
      { metric: {}, value: 'NaN' },
    ]),
  );
  assert.deepEqual(parsed, [{ metric: { instance: 'a' }, value: 0.5 }]);
});
